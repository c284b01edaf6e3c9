"""The curriculum's extension point: certificates drawn by a plugin (the theming plugin draws them in the
storefront's palette and fonts). Without one, the core draws a plain certificate."""

from courseplatform.hooks.hookspecs import hookspec


@hookspec(firstresult=True)
def certificate_image(storefront, learner_name: str, course_title: str, issued_on: str, size: tuple[int, int]):
    """A ``PIL.Image.Image`` of ``size`` showing the learner's name, the course title, ``issued_on`` (already
    formatted in the reader's language) and the storefront's name; None to leave it to the core. Must not write."""
