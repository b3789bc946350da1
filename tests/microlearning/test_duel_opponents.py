"""A duel against anyone in the company: colleagues found by name (accent-blind, like the
directory), whatever their department; oneself and people who left are refused with a clear
message, and nothing is created."""

from __future__ import annotations

from django.urls import reverse

from sylva.microlearning.models import Duel
from sylva.microlearning.queries.challenges import find_colleagues

URL = reverse("microlearning:challenges")


def test_colleagues_are_found_by_name_in_every_department_accents_or_not(org) -> None:  # type: ignore[no-untyped-def]
    assert org.learner.team.department != org.animator.team.department
    assert find_colleagues(org.learner, "anne morel") == [org.animator]
    assert find_colleagues(org.expert, "HELENE dupre") == [org.learner]
    assert find_colleagues(org.expert, "Hélène") == [org.learner]
    assert find_colleagues(org.learner, "hélène") == []  # not oneself
    assert find_colleagues(org.learner, "  ") == []


def test_people_who_left_are_not_found(org) -> None:  # type: ignore[no-untyped-def]
    org.animator.user.is_active = False
    org.animator.user.save()
    assert find_colleagues(org.learner, "morel") == []


def test_the_live_search_lists_colleagues_to_choose(org, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    text = client.get(
        reverse("microlearning:colleagues"),
        {"who": "benali"},
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'name="opponent" value="{org.expert.pk}"' in text and "Karim Benali" in text
    text = client.get(
        reverse("microlearning:colleagues"),
        {"who": "zzz"},
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Nobody by that name" in text and "<html" not in text  # the fragment only


def test_the_live_search_visited_directly_is_the_challenges_page_with_that_search(
    org, client
) -> None:  # type: ignore[no-untyped-def]
    """A bookmark or a browser without JavaScript gets a whole page, whose form posts to the
    challenges page (the fragment alone has no title, no navigation, no form)."""
    client.force_login(org.learner.user)
    response = client.get(reverse("microlearning:colleagues"), {"who": "benali"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?who=benali"
    text = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<title>" in text and 'value="benali"' in text
    assert f'name="opponent" value="{org.expert.pk}"' in text and "Karim Benali" in text
    response = client.get(reverse("microlearning:colleagues"))
    assert response.status_code == 302 and response["Location"] == URL


def test_a_duel_against_someone_in_another_department(org, client, module) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    response = client.post(URL, {"who": "anne", "opponent": org.animator.pk, "module": module.pk})
    duel = Duel.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/duels/{duel.pk}/")
    assert (duel.challenger, duel.opponent) == (org.learner, org.animator)


def _refused(client, data, message) -> None:  # type: ignore[no-untyped-def]
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Duel.objects.exists()


def test_oneself_and_people_who_left_are_refused(org, client, module) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    _refused(
        client,
        {"who": "dupre", "opponent": org.learner.pk, "module": module.pk},
        "Challenge a colleague, not yourself.",
    )
    org.animator.user.is_active = False
    org.animator.user.save()
    _refused(
        client,
        {"who": "morel", "opponent": org.animator.pk, "module": module.pk},
        "This colleague can no longer play.",
    )
    _refused(
        client,
        {"who": "", "opponent": 999999, "module": module.pk},
        "This colleague is not in the directory.",
    )


def test_a_name_without_a_choice_lists_the_names_found(org, client, module) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    response = client.post(URL, {"who": "benali", "module": module.pk}, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "Choose your colleague among the names found." in text
    assert f'value="{org.expert.pk}" required checked' in text  # the only match, ready
    assert not Duel.objects.exists()
    _refused(client, {"who": "", "module": module.pk}, "Type the name of the colleague")
