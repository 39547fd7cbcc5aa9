"""Every user-facing string exists in Kazakh and Russian, and the compiled catalogues are current."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = [Path(settings.BASE_DIR) / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("kk", "ru")] + [
    Path(settings.BASE_DIR) / "locale_django" / "kk" / "LC_MESSAGES" / "django.po"
]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: "/".join(p.parts[-4:-2]))
def test_catalogue_is_complete_and_compiled(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{po_path}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{po_path}: fuzzy {fuzzy[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run msgfmt (see docs/reference/management_commands.md)"
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in polib.mofile(str(mo_path))
    }
    for e in po.translated_entries():
        assert compiled.get((e.msgctxt, e.msgid)) == (e.msgstr, tuple(sorted(e.msgstr_plural.items()))), (
            f"{mo_path} is older than its .po ({e.msgid!r}): recompile"
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_source_strings_are_all_in_the_catalogue(tmp_path: Path) -> None:
    """makemessages would add nothing: no string in the code is missing from the catalogues."""
    from django.core.management import call_command
    from django.test import override_settings

    kk = polib.pofile(str(CATALOGUES[0]))
    known = {(e.msgctxt, e.msgid) for e in kk}
    work = tmp_path / "src"
    shutil.copytree(settings.BASE_DIR, work, ignore=shutil.ignore_patterns("locale*", "__pycache__", "*.mo"))
    (work / "locale").mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(work)
        with override_settings(LOCALE_PATHS=[]):  # write into the copy, never into the real catalogue
            call_command("makemessages", locale=["kk"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    fresh = polib.pofile(str(work / "locale" / "kk" / "LC_MESSAGES" / "django.po"))
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known)
    assert not missing, f"strings not in the catalogue (run makemessages and translate): {missing[:15]}"
