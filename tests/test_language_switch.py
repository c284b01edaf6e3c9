"""The header's language switcher takes the visitor to the same page in the chosen language, both ways."""

import pytest

from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _switch(client, language: str, next_url: str):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, HTTP_ACCEPT="text/html")


@pytest.mark.parametrize("path", ["/", "/courses/{pk}/", "/accounts/login/"])
def test_switching_to_chinese_and_back_to_english_lands_on_the_same_page(client, path):
    path = path.format(pk=CourseFactory().pk)
    to_chinese = _switch(client, "zh-hans", path)
    assert to_chinese.status_code == 302 and to_chinese["Location"] == f"/zh-hans{path}"
    assert client.get(to_chinese["Location"], HTTP_ACCEPT="text/html").status_code == 200

    to_english = _switch(client, "en", f"/zh-hans{path}")
    assert to_english.status_code == 302 and to_english["Location"] == path
    page = client.get(path, HTTP_ACCEPT="text/html")  # the cookie says English now: no redirect back
    assert page.status_code == 200 and page.headers["Content-Language"] == "en"


def test_the_query_string_survives_the_switch(client):
    response = _switch(client, "en", "/zh-hans/?q=python&level=beginner")
    assert response["Location"] == "/?q=python&level=beginner"
