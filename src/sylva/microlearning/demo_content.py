"""The demo company's modules, in the text format of docs/microlearning.md (French, with a
few in English, and versions of some in the other language). Each is parsed by
:mod:`sylva.microlearning.textformat` when seeded."""

MODULES = [
    """---
code: chariot-securite
title: Conduire un chariot élévateur en sécurité
topic: Sécurité
language: fr
minutes: 3
skills: [forklift-caces-r489-cat3, shop-floor-safety-walk]
---

## lesson: Le tour du chariot avant de démarrer
Avant chaque prise de poste, on fait **le tour du chariot** : pneus, fourches, chaînes,
klaxon, feux, niveau de charge de la batterie. Deux minutes qui évitent bien des accidents.

## single: Quelle est la vitesse maximale dans les allées de l'entrepôt ?
- [ ] 15 km/h
- [x] 6 km/h
- [ ] 10 km/h
> Dans les allées, la vitesse est limitée à 6 km/h : c'est l'allure d'un piéton rapide.

## truefalse: On peut transporter un collègue sur les fourches s'il se tient bien.
- [ ] Vrai
- [x] Faux
> Jamais : les fourches ne sont pas un poste de travail. Personne ne monte sur un chariot
> hors du siège prévu.

## multiple: Que vérifie-t-on lors du tour du chariot ?
- [x] L'état des fourches
- [x] Le klaxon et les feux
- [ ] La couleur de la carrosserie
- [x] La charge de la batterie
> La carrosserie n'a pas d'importance ; tout ce qui freine, signale ou porte la charge en a.

## ordering: Remettez dans l'ordre la prise d'une palette
1. S'arrêter face à la palette, fourches à plat
2. Engager les fourches à fond
3. Lever légèrement la charge
4. Incliner le mât vers l'arrière
5. Reculer en regardant derrière soi
> La charge est levée juste assez pour décoller, puis inclinée vers l'arrière avant de reculer.

## single: Charge en hauteur : quand la lever ?
- [ ] En roulant, pour gagner du temps
- [x] À l'arrêt, devant le rack
- [ ] Dans les virages, pour voir devant
> On ne roule jamais charge haute : le chariot bascule facilement.
""",
    """---
code: consignation
title: La consignation avant intervention
topic: Sécurité
language: fr
minutes: 3
skills: [lockout-tagout]
---

## lesson: Pourquoi consigner ?
Consigner, c'est **séparer** la machine de ses énergies, **condamner** la séparation avec
son cadenas personnel, **signaler**, puis **vérifier** l'absence d'énergie.

## ordering: Les étapes de la consignation
1. Séparer la machine de ses sources d'énergie
2. Condamner avec son cadenas personnel
3. Signaler la consignation
4. Vérifier l'absence d'énergie
> Séparer, condamner, signaler, vérifier : l'ordre compte, la vérification vient en dernier.

## single: Qui retire le cadenas de consignation ?
- [x] La personne qui l'a posé
- [ ] Le chef d'équipe
- [ ] N'importe quel technicien habilité
> Le cadenas est personnel : seul celui qui l'a posé le retire.

## truefalse: L'arrêt d'urgence suffit pour intervenir dans une machine.
- [ ] Vrai
- [x] Faux
> L'arrêt d'urgence n'isole pas les énergies (air comprimé, gravité, énergie résiduelle).

## multiple: Quelles énergies faut-il aussi considérer ?
- [x] L'air comprimé
- [x] L'énergie potentielle d'une pièce en hauteur
- [x] La chaleur résiduelle
- [ ] La lumière du local
> Toutes les énergies capables de mettre en mouvement ou de blesser.
""",
    """---
code: epi-atelier
title: Les équipements de protection en atelier
topic: Sécurité
language: fr
minutes: 2
skills: [ppe-use, chemical-risk-prevention]
---

## lesson: Les EPI de base
Chaussures de sécurité, lunettes, protections auditives au-delà de 80 dB(A) : les EPI sont
la **dernière** barrière, après la suppression du risque et les protections collectives.

## single: À partir de quel niveau sonore les protections auditives sont-elles mises à disposition ?
- [ ] 70 dB(A)
- [x] 80 dB(A)
- [ ] 95 dB(A)
> À 80 dB(A), l'employeur les met à disposition ; à 85 dB(A), leur port est obligatoire.

## truefalse: Les EPI passent avant les protections collectives.
- [ ] Vrai
- [x] Faux
> On protège d'abord collectivement ; l'EPI protège du risque qui reste.

## poll: Vos protections auditives sont-elles confortables ?
- Oui, je les oublie
- Supportables
- Gênantes, j'aimerais en essayer d'autres
""",
    """---
code: gamme-barquettes
title: Connaître notre gamme de barquettes
topic: Connaissance produit
language: fr
minutes: 4
skills: [polymer-knowledge, barrier-multilayer-materials, paper-board-grades]
---

## lesson: Trois familles de matériaux
Nos barquettes sont en **PET** (transparence, rigidité), en **PP** (tenue à la chaleur,
micro-ondes) ou en **carton** enduit (image naturelle, recyclable dans la filière papier).

## single: Quel matériau choisir pour un plat à réchauffer au micro-ondes ?
- [ ] PET
- [x] PP
- [ ] PS
> Le PP tient jusqu'à 120 °C environ ; le PET se déforme vers 70 °C.

## multiple: Quels atouts du PET mettre en avant auprès d'un client ?
- [x] La transparence
- [x] La rigidité
- [ ] La tenue au four
- [x] La recyclabilité en bouteille-à-barquette
> Le PET n'aime pas la chaleur : pas de four, ni de micro-ondes.

## single: À quoi sert une couche barrière EVOH ?
- [x] Limiter le passage de l'oxygène
- [ ] Rendre la barquette opaque
- [ ] Renforcer la tenue mécanique
> L'EVOH protège les produits sensibles à l'oxydation et allonge leur durée de vie.

## reflection: Quelle question de client sur nos matériaux vous a déjà embarrassé ?
Notez-la : nous en ferons une carte.
""",
    """---
code: reclamation-client
title: Traiter une réclamation client
topic: Relation client
language: fr
minutes: 3
skills: [customer-complaint-handling, handling-difficult-customers]
---

## lesson: Écouter d'abord
Un client qui réclame veut d'abord être **entendu**. Reformulez, notez les faits (lot,
date, quantité), et donnez un délai de retour que vous tiendrez.

## ordering: Les étapes d'un bon traitement
1. Écouter sans interrompre
2. Reformuler la réclamation
3. Recueillir les faits (lot, date, quantité)
4. Annoncer un délai de réponse
5. Revenir vers le client dans ce délai
> La promesse d'un délai tenu vaut mieux qu'une réponse rapide mais fausse.

## single: Un client en colère vous coupe la parole. Que faites-vous ?
- [ ] Vous haussez le ton pour reprendre la main
- [x] Vous le laissez finir, puis reformulez
- [ ] Vous lui proposez de rappeler plus tard
> Laisser finir et reformuler fait baisser la tension et montre que vous avez compris.

## truefalse: Le numéro de lot est indispensable pour ouvrir une réclamation qualité.
- [x] Vrai
- [ ] Faux
> Sans numéro de lot, impossible de remonter à la production concernée.
""",
    """---
code: bienvenue-boreal
title: Bienvenue chez Boréal Emballages
topic: Intégration
language: fr
minutes: 3
skills: [employee-onboarding]
---

## lesson: Qui fait quoi
Boréal Emballages fabrique des emballages alimentaires sur trois sites : **Lyon** (siège
et usine), **Nantes** (usine) et **Lille** (plateforme logistique).

## single: Sur quel site se trouve la plateforme logistique ?
- [ ] Lyon
- [ ] Nantes
- [x] Lille
> Lille expédie la production des deux usines vers nos clients du nord de l'Europe.

## truefalse: Dans Sylva, chacun peut proposer de partager ce qu'il sait.
- [x] Vrai
- [ ] Faux
> Tout le monde a quelque chose à partager : ajoutez vos compétences sur votre profil.

## poll: Comment s'est passé votre premier jour ?
- Très bien
- Bien
- Il m'a manqué des informations

## reflection: Qu'aimeriez-vous apprendre en premier ?
Une compétence, un outil, une personne à rencontrer : notez-le.
""",
    """---
code: food-contact-basics
title: Food contact materials, the basics
topic: Product knowledge
language: en
minutes: 3
skills: [food-contact-compliance, migration-testing]
---

## lesson: Why food contact matters
Packaging must not transfer its constituents to food in quantities that could endanger
health: this is checked with **migration tests** against limits set by EU regulation.

## single: What does an overall migration test measure?
- [x] The total quantity of substances transferred to a food simulant
- [ ] The oxygen permeability of the film
- [ ] The tensile strength of the tray
> Overall migration is capped at 10 mg per dm² of contact surface.

## truefalse: A declaration of compliance must accompany food contact plastics.
- [x] True
- [ ] False
> EU Regulation 10/2011 requires a written declaration of compliance along the chain.

## multiple: Which of these are food simulants?
- [x] Ethanol 10 %
- [x] Acetic acid 3 %
- [ ] Sea water
- [x] Vegetable oil
> Simulants stand for aqueous, acidic, alcoholic and fatty foods.
""",
    """---
code: phishing-awareness
title: Spotting a phishing e-mail
topic: IT security
language: en
minutes: 2
skills: [phishing-awareness]
---

## lesson: Three signs
An unexpected **urgency**, a sender address that does not quite match, and a link whose
real target differs from its text: stop and report it.

## single: A "supplier" asks you to update their bank details urgently. What do you do?
- [ ] Update them, it is urgent
- [x] Call the supplier on a number you already know
- [ ] Reply to the e-mail to ask for confirmation
> Confirm through another channel you trust: replying goes straight to the fraudster.

## truefalse: Hovering over a link shows where it really leads.
- [x] True
- [ ] False
> On a computer, hovering shows the real address; on a phone, press and hold.
""",
    """---
code: haccp-essentiel
title: HACCP et hygiène en production
topic: Qualité
language: fr
minutes: 3
skills: [haccp-hazard-analysis, shop-floor-hygiene, foreign-body-control]
---

## lesson: Les trois familles de dangers
Un emballage alimentaire peut porter des dangers **physiques** (corps étrangers),
**chimiques** (migration, lubrifiants) ou **biologiques** (contamination).

## multiple: Lesquels sont des dangers physiques ?
- [x] Un éclat de verre
- [x] Un morceau de cutter
- [ ] Une encre non conforme
- [x] Un cheveu
> L'encre non conforme est un danger chimique.

## single: Une lame de cutter est cassée sur la ligne. Que faites-vous d'abord ?
- [ ] Je remplace la lame et je continue
- [x] J'arrête la ligne et je retrouve tous les morceaux
- [ ] Je le signale en fin de poste
> Tant que tous les morceaux ne sont pas retrouvés, la production est isolée.

## truefalse: Les bijoux sont autorisés en production s'ils sont petits.
- [ ] Vrai
- [x] Faux
> Aucun bijou en zone de production, hors alliance lisse selon le règlement du site.
""",
    # versions in the other language of modules above (``translation_of``): a campaign
    # naming either gives each learner the one in their language
    """---
code: hameconnage
title: Reconnaître un e-mail d'hameçonnage
topic: Sécurité informatique
language: fr
minutes: 2
skills: [phishing-awareness]
translation_of: phishing-awareness
---

## lesson: Trois signes
Une **urgence** inattendue, une adresse d'expéditeur qui ne correspond pas tout à fait, un
lien dont la vraie destination diffère de son texte : arrêtez-vous et signalez-le.

## single: Un « fournisseur » demande de changer son RIB en urgence. Que faites-vous ?
- [ ] Je les change, c'est urgent
- [x] J'appelle le fournisseur à un numéro que je connais déjà
- [ ] Je réponds à l'e-mail pour demander confirmation
> Vérifiez par un autre canal de confiance : répondre, c'est écrire au fraudeur.

## truefalse: Survoler un lien montre où il mène vraiment.
- [x] Vrai
- [ ] Faux
> Sur un ordinateur, le survol montre la vraie adresse ; sur un téléphone, appui long.
""",
    """---
code: contact-alimentaire
title: Les matériaux au contact des aliments, l'essentiel
topic: Connaissance produit
language: fr
minutes: 3
skills: [food-contact-compliance, migration-testing]
translation_of: food-contact-basics
---

## lesson: Pourquoi le contact alimentaire compte
Un emballage ne doit pas transférer ses constituants aux aliments en quantité dangereuse
pour la santé : on le vérifie par des **essais de migration** au regard des limites de la
réglementation européenne.

## single: Que mesure un essai de migration globale ?
- [x] La quantité totale de substances transférées à un simulant alimentaire
- [ ] La perméabilité à l'oxygène du film
- [ ] La résistance à la traction de la barquette
> La migration globale est limitée à 10 mg par dm² de surface de contact.

## truefalse: Les plastiques au contact des aliments ont une déclaration de conformité.
- [x] Vrai
- [ ] Faux
> Le règlement (UE) 10/2011 impose une déclaration écrite de conformité tout au long
> de la chaîne.

## multiple: Lesquels sont des simulants alimentaires ?
- [x] Éthanol à 10 %
- [x] Acide acétique à 3 %
- [ ] Eau de mer
- [x] Huile végétale
> Les simulants représentent les aliments aqueux, acides, alcoolisés et gras.
""",
    """---
code: welcome-boreal
title: Welcome to Boréal Emballages
topic: Onboarding
language: en
minutes: 3
skills: [employee-onboarding]
translation_of: bienvenue-boreal
---

## lesson: Who does what
Boréal Emballages makes food packaging on three sites: **Lyon** (head office and plant),
**Nantes** (plant) and **Lille** (logistics platform).

## single: Which site is the logistics platform?
- [ ] Lyon
- [ ] Nantes
- [x] Lille
> Lille ships both plants' production to our customers in northern Europe.

## truefalse: In Sylva, anyone can offer to share what they know.
- [x] True
- [ ] False
> Everyone has something to share: add your skills to your profile.

## poll: How was your first day?
- Very good
- Good
- I missed some information

## reflection: What would you like to learn first?
A skill, a tool, someone to meet: write it down.
""",
    """---
code: forklift-safety
title: Driving a forklift safely
topic: Safety
language: en
minutes: 3
skills: [forklift-caces-r489-cat3, shop-floor-safety-walk]
translation_of: chariot-securite
---

## lesson: The walk-around before starting
Before each shift, walk **around the forklift**: tyres, forks, chains, horn, lights,
battery charge. Two minutes that prevent many accidents.

## single: What is the speed limit in the warehouse aisles?
- [ ] 15 km/h
- [x] 6 km/h
- [ ] 10 km/h
> In the aisles the speed is limited to 6 km/h: a brisk walker's pace.

## truefalse: You may carry a colleague on the forks if they hold on well.
- [ ] True
- [x] False
> Never: forks are not a workstation. Nobody rides a forklift outside its seat.

## single: A high load: when do you lift it?
- [ ] While driving, to save time
- [x] Stopped, in front of the rack
- [ ] In bends, to see ahead
> Never drive with a high load: the forklift tips over easily.
""",
]

# A light resource written by a field worker (published) and one waiting for review.
LIGHT_PUBLISHED = """---
code: astuce-filmage
title: "Astuce terrain : un filmage de palette qui tient"
topic: Logistique
language: fr
minutes: 2
skills: [stretch-wrapping-palletising]
---

## lesson: Trois tours en bas
Je fais toujours **trois tours au pied** de la palette, film accroché à la palette
elle-même : c'est là que la charge glisse au freinage du camion.

## single: Où faire le plus de tours de film ?
- [x] Au pied de la palette
- [ ] Au milieu
- [ ] En haut
> Le pied de palette est le point qui glisse : c'est là que le film doit tenir.
"""

LIGHT_SUBMITTED = """---
code: astuce-changement-bobine
title: "Astuce : changer une bobine sans arrêter la ligne trop longtemps"
topic: Production
language: fr
minutes: 2
skills: [smed-quick-changeover]
---

## lesson: Préparer pendant que ça tourne
Je prépare la bobine suivante, le mandrin et le ruban adhésif **pendant** que la bobine
en cours se termine : le changement prend deux minutes au lieu de dix.

## truefalse: On peut préparer le changement de bobine avant l'arrêt de la ligne.
- [x] Vrai
- [ ] Faux
> C'est le principe du SMED : tout ce qui peut se faire machine en marche se fait avant.
"""
