"""Turns a course folder into a validated, immutable Course, reporting every problem at once."""

from __future__ import annotations

from pathlib import Path

from packager.course_yaml import read_course_yaml
from packager.diagnostics import Diagnostic, Diagnostics
from packager.model import Course, Module
from packager.module_parser import ParsedModule, parse_module


def load_course(root: Path) -> tuple[Course | None, list[Diagnostic]]:
    """The course and its diagnostics; the course is None when any diagnostic is an error."""
    diagnostics = Diagnostics()
    course, _parsed = _load(Path(root), diagnostics)
    return (None if diagnostics.has_errors else course), diagnostics.sorted()


def load_parsed_modules(root: Path) -> tuple[list[ParsedModule], list[Diagnostic]]:
    """The modules with what the parser learnt about them (used by `check --write-ids`)."""
    diagnostics = Diagnostics()
    _course, parsed = _load(Path(root), diagnostics)
    return parsed, diagnostics.sorted()


def _load(root: Path, diagnostics: Diagnostics) -> tuple[Course | None, list[ParsedModule]]:
    if not root.is_dir():
        diagnostics.error(root, 1, "no such course folder")
        return None, []
    yaml_path = root / "course.yaml"
    header = read_course_yaml(yaml_path, diagnostics)
    if header is None:
        return None, []
    modules_dir = root / "modules"
    parsed: list[ParsedModule] = []
    listed: set[str] = set()
    for name, line in header.module_files:
        if name in listed:
            diagnostics.error(yaml_path, line, f"module `{name}` is listed twice")
            continue
        listed.add(name)
        path = modules_dir / name
        if not name.endswith(".md") or "/" in name or "\\" in name:
            diagnostics.error(yaml_path, line, f"`{name}` must be a `.md` file name in modules/")
            continue
        if not path.is_file():
            diagnostics.error(yaml_path, line, f"module file modules/{name} does not exist")
            continue
        result = parse_module(path, root, header.id, diagnostics)
        if result is not None:
            parsed.append(result)
    if modules_dir.is_dir():
        for path in sorted(modules_dir.glob("*.md")):
            if path.name not in listed:
                diagnostics.warning(
                    path,
                    1,
                    "this module file is not listed in course.yaml "
                    "`modules`, so learners will not see it",
                )
    _check_across_modules(yaml_path, parsed, diagnostics)
    modules = tuple(p.module for p in parsed)
    media = _media_files(root, diagnostics)
    course = Course(
        slug=root.resolve().name,
        root=root,
        id=header.id,
        title=header.title,
        description=header.description,
        version=header.version,
        source_language=header.language,
        languages=header.languages,
        authors=header.authors,
        license=header.license,
        keywords=header.keywords,
        duration=header.duration,
        mastery_score=header.mastery_score,
        modules=modules,
        language=header.language,
        media=media,
    )
    return course, parsed


def _media_files(root: Path, diagnostics: Diagnostics) -> tuple[str, ...]:
    """Files under media/ that go into packages; links could smuggle in files from elsewhere."""
    media_dir = root / "media"
    if not media_dir.is_dir():
        return ()
    files = []
    for path in sorted(media_dir.rglob("*")):
        if path.is_symlink():
            diagnostics.warning(path, 1, "symbolic links in media/ are not packaged: copy the file")
        elif path.is_file() and not path.name.startswith("."):
            files.append(path.relative_to(root).as_posix())
    return tuple(files)


def _check_across_modules(
    yaml_path: Path, parsed: list[ParsedModule], diagnostics: Diagnostics
) -> None:
    by_file = {p.module.path.name: p for p in parsed}
    slugs: dict[str, Module] = {}
    question_ids: dict[str, tuple[Path, int]] = {}
    assessments = [p.module for p in parsed if p.module.assessment]
    for extra in assessments[1:]:
        diagnostics.error(
            extra.path,
            1,
            f"only one module can be the final assessment (already: {assessments[0].path.name})",
        )
    for p in parsed:
        module = p.module
        if module.slug in slugs:
            diagnostics.error(
                module.path,
                1,
                f"module id `{module.slug}` is also used by "
                f"{slugs[module.slug].path.name}; set `id:` in the front matter",
            )
        slugs[module.slug] = module
        for question in module.questions:
            if question.id in question_ids:
                first_path, first_line = question_ids[question.id]
                diagnostics.error(
                    module.path,
                    question.line,
                    f"duplicate question id `{question.id}` (first used at "
                    f"{first_path.name}:{first_line})",
                )
            else:
                question_ids[question.id] = (module.path, question.line)
        for link in p.links:
            target = p if link.target_file is None else by_file.get(link.target_file)
            if target is None:
                diagnostics.error(
                    module.path,
                    link.line,
                    f"link to `{link.target_file}`, which is not a module of this course",
                )
            elif link.anchor and link.anchor not in target.anchors:
                diagnostics.error(
                    module.path,
                    link.line,
                    f"link to `#{link.anchor}`, which is "
                    f"not a heading in {target.module.path.name}",
                )
    if parsed and not assessments:
        diagnostics.warning(
            yaml_path,
            1,
            "no module is marked `assessment: true`: learners "
            "cannot pass the course, only complete it",
        )
