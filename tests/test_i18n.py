import re
import string
from pathlib import Path

import pytest

from ui import i18n
from ui.i18n import LANGS, TEXTS, t

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
# t("key"...), t('key'...) and the page table of app.py ("nav.home" etc.)
T_CALL = re.compile(r"""\bt\(\s*(?P<q>["'])(?P<key>[^"'{}]+)(?P=q)""")
NAV_KEY = re.compile(r"""["'](?P<key>nav\.[a-z_]+)["']""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_both_languages(key):
    entry = TEXTS[key]
    assert set(entry) == set(LANGS), key
    for lang in LANGS:
        assert isinstance(entry[lang], str) and entry[lang].strip(), (key, lang)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_placeholders_agree_between_languages(key):
    assert _fields(TEXTS[key]["zh"]) == _fields(TEXTS[key]["en"]), key


def _literal_keys() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for pattern in (T_CALL, NAV_KEY):
            for match in pattern.finditer(text):
                found.setdefault(match.group("key"), []).append(path.name)
    return found


def test_sources_are_scanned():
    keys = _literal_keys()
    assert len(SOURCES) >= 8
    assert "kpi.revenue" in keys and "data.confirm" in keys and "nav.data" in keys


def test_every_literal_key_exists():
    missing = {key: files for key, files in _literal_keys().items() if key not in TEXTS}
    assert not missing, f"keys used in the UI but missing from ui/i18n.py: {missing}"


def test_dynamic_key_families_exist():
    # keys built at run time: f"kind.{k}", f"field.{f}", f"status.{s}", f"lang.{code}", ...
    from analytics import loader

    for kind in loader.KINDS:
        assert f"kind.{kind}" in TEXTS
        for field in loader.CANONICAL_COLUMNS[kind]:
            assert f"field.{field}" in TEXTS, field
    for code in LANGS:
        assert f"lang.{code}" in TEXTS
    for status in ("stored", "undone"):
        assert f"status.{status}" in TEXTS
    for why in ("hidden", "no_header", "different_columns"):
        assert f"data.ignored.{why}" in TEXTS
    for choice in ("replace", "append"):
        assert f"data.overlap.{choice}" in TEXTS
    for order in ("dmy", "mdy"):
        assert f"data.{order}" in TEXTS


def test_t_renders_language_and_params():
    assert t("kpi.revenue", lang="zh") == "净销售额"
    assert t("kpi.revenue", lang="en") == "Net revenue"
    assert t("table.rows", lang="en", n=5) == "5 rows"
    assert t("no.such.key") == "no.such.key"
    assert t("kpi.revenue") == TEXTS["kpi.revenue"][i18n.DEFAULT_LANG]  # outside Streamlit: default
