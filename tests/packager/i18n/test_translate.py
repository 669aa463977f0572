"""The translated course the build renders: texts replaced, what learner records use kept."""

from __future__ import annotations

from packager.i18n.catalog import read_catalog, write_catalog
from packager.i18n.translate import load_translation, metadata_in_languages
from packager.loader import load_course
from tests.fixtures.i18n import Workspace, run_cli

LINK = (
    'Read [the questions](%1) or visit [the UN website](%2 "United Nations").\n'
    "Here is a small ![blue square icon](%3) inside a sentence."
)


def test_links_are_restored_and_identifiers_kept(workspace: Workspace) -> None:
    run_cli("i18n", "update", workspace.course, "--lang", "es")
    path = workspace.po("es")
    catalog = read_catalog(path)
    catalog.get(LINK).string = "Visite [el sitio](%2) o lea [las preguntas](%1). ![Icono](%3)"
    catalog.get("Choosing").string = "Elegir"
    catalog.get("Every construct, for translators").string = "Todo, para traductores"
    write_catalog(path, catalog)
    course, _ = load_course(workspace.course)
    spanish = load_translation(course, "es").course
    assert spanish.language == "es"
    assert spanish.modules[0].pages[1].blocks[0].text == (
        "Visite [el sitio](https://www.un.org/en/) o lea "
        "[las preguntas](02-questions.md#choosing). ![Icono](../media/square.svg)"
    )
    page = spanish.modules[1].pages[0]
    assert (page.title, page.id) == ("Elegir", "choosing")
    assert [q.iri for q in spanish.questions] == [q.iri for q in course.questions]
    assert [c.id for c in spanish.questions[2].choices] == ["true", "false"]

    metadata = metadata_in_languages(course)
    assert set(metadata) == {"en", "es"}
    assert metadata["es"].title == "Todo, para traductores"
    assert metadata["en"].title == "Every construct, for translators"
