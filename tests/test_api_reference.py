"""The book's API reference covers every public module of coursekit, and nothing that is gone."""

import pkgutil
import re
from pathlib import Path

import coursekit

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "book" / "api"
TOC = (ROOT / "_toc.yml").read_text()


def public_modules() -> set[str]:
    return {
        info.name
        for info in pkgutil.walk_packages(coursekit.__path__, "coursekit.")
        if not any(part.startswith("_") for part in info.name.split("."))
    }


def documented_modules() -> set[str]:
    return {
        name
        for page in API.glob("*.md")
        for name in re.findall(r"^\.\. automodule:: (\S+)", page.read_text(), re.M)
    }


def test_every_public_module_has_its_place_in_the_reference():
    missing = public_modules() - documented_modules()
    assert not missing, f"add these modules to a page of book/api: {sorted(missing)}"


def test_the_reference_documents_no_module_that_is_gone():
    gone = documented_modules() - public_modules() - {"coursekit"}
    assert not gone, f"book/api documents modules that no longer exist: {sorted(gone)}"


def test_every_reference_page_is_in_the_table_of_contents():
    pages = {f"book/api/{page.stem}" for page in API.glob("*.md")}
    absent = {page for page in pages if f"file: {page}\n" not in TOC}
    assert not absent, f"add to _toc.yml: {sorted(absent)}"
