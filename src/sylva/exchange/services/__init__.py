"""Every write of the exchange network, one module per use case:

- :mod:`.board` — publish, edit, pause, close and renew offers and requests;
- :mod:`.exchanges` — the life of an exchange, a state machine;
- :mod:`.runs` — the global matching run and its review by an animator;
- :mod:`.welcome` — newcomers' first exchanges;
- :mod:`.fairs` — live exchange fairs.
"""
