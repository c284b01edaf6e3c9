import pytest
from django.utils import translation

from courseplatform.pages import services
from tests.themes.conftest import make_palette  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def reset_language(settings):
    yield
    translation.activate(settings.LANGUAGE_CODE)  # a /zh-hans/ request leaves its language active


@pytest.fixture
def build_page(storefront, creator):
    """Add sections (by type) to the storefront's draft; returns a function."""

    def build(*types, publish=False, data=None):
        sections = [services.section_add(storefront=storefront, actor=creator, section_type=t) for t in types]
        for section in sections:
            if data and section["type"] in data:
                services.section_update(storefront=storefront, actor=creator, section_id=section["id"],
                                        data=data[section["type"]])
        if publish:
            services.page_publish(storefront=storefront, actor=creator)
        return sections

    return build
