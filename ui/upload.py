"""Widgets of the Data page: one panel per uploaded file, the upload log, undo and demo removal.

Per file the flow is inspect → (user corrects kind, mapping, constants, date order) → prepare
→ validation report → overlap choice → confirm → commit. Inspections and prepared uploads are
kept in ``st.session_state`` keyed by the file's content hash, so reruns never re-parse a file
unless the user changed something that matters. Everything read from a file (names, sheet
names, cell values) is shown in data grids or Markdown-escaped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
from collections.abc import Iterator
from typing import Any

import pandas as pd
import streamlit as st

from analytics import access, errors, ingest, loader, priority, readers, store, summary
from analytics.errors import IngestError
from ui import state, tables
from ui.format import escape_markdown
from ui.i18n import has, t

log = logging.getLogger("karadar.ui.upload")
SLOTS_KEY = "_uploads"
# fields that can be given one value for the whole upload, when the file has no column for them
CONSTANT_FIELDS = ("region", "sales_rep", "channel", "category", "industry")
_NONE = "—"
LOG_COLUMNS = [
    "upload_id", "kind", "file_name", "status", "rows_read", "rows_stored", "rows_skipped", "skipped_reasons",
    "first_date", "last_date", "uploaded_at", "sheet", "uploaded_by", "undone_at",
]  # fmt: skip


class _Blank(dict[str, object]):
    """Format mapping that shows a missing placeholder as "…" instead of raising."""

    def __missing__(self, key: str) -> str:
        return "…"


def _say(code: str, lang: str, **params: object) -> str:
    """An analytics message (:mod:`analytics.errors`); a placeholder we did not fill shows as "…"."""
    try:
        return errors.message(code, lang, **params)
    except (KeyError, IndexError, ValueError):
        log.warning("message %s is missing parameters (given: %s)", code, sorted(params))
        templates = errors.MESSAGES.get(code, {})
        return templates.get(lang, templates.get("en", code)).format_map(_Blank(params))


def _render(exc: IngestError, lang: str) -> str:
    """``exc.render(lang)`` with field codes shown by their UI names ("客户" rather than "customer")."""
    params = dict(exc.params)
    if isinstance(params.get("field"), str) and has(f"field.{params['field']}"):
        params["field"] = t(f"field.{params['field']}")
    try:
        return IngestError(exc.code, **params).render(lang)
    except (KeyError, IndexError, ValueError):
        return _say(exc.code, lang, **params)


@contextlib.contextmanager
def _progress(name: str, size: int) -> Iterator[ingest.Progress | None]:
    """For a big file (:data:`analytics.ingest.PROGRESS_MIN_BYTES`), the stages of its upload in a status box.

    The box appears when a stage starts in this run (reruns that reuse the parsed file show none):
    its label names the stage running, each finished stage adds a line with what it did and how
    long it took, and a bar counts the stages of the whole upload (read, check, store). Small
    files get ``None``.
    """
    if size < ingest.PROGRESS_MIN_BYTES:
        yield None
        return
    lang = state.lang()
    title = escape_markdown(name)
    shown: dict[str, Any] = {}

    def show(step: ingest.Step) -> None:
        if not shown:
            shown["box"] = st.status(t("data.progress.title", file=title), expanded=True)
            shown["bar"] = shown["box"].progress(0.0)
        text = escape_markdown(ingest.describe_step(step, lang))
        done = ingest.STAGES.index(step.stage) + (1 if step.done else 0)
        if step.done:
            shown["box"].caption(text)
        else:
            shown["box"].update(label=t("data.progress.running", file=title, step=text))
        shown["bar"].progress(done / len(ingest.STAGES), text=text)

    try:
        yield show
    except Exception:  # not Streamlit's rerun, which is no failure
        if shown:
            shown["box"].update(label=t("data.progress.failed", file=title), state="error")
        raise
    if shown:
        shown["box"].update(label=t("data.progress.done", file=title), state="complete", expanded=False)


def _slot(digest: str) -> dict[str, Any]:
    """Per-file session storage (inspections, prepared upload, result), keyed by content hash."""
    slots: dict[str, dict[str, Any]] = st.session_state.setdefault(SLOTS_KEY, {})
    return slots.setdefault(digest, {"inspections": {}})


def _inspect(
    slot: dict[str, Any], data: bytes, name: str, kind: str | None, progress: ingest.Progress | None
) -> ingest.Inspection:
    """Inspect once per (file, kind); a whole-file problem is cached too and re-raised."""
    cache: dict[str, ingest.Inspection | IngestError] = slot["inspections"]
    key = kind or "auto"
    if key not in cache:
        try:
            with state.cursor() as cur:
                cache[key] = ingest.inspect_file(data, name, kind=kind, con=cur, progress=progress)
        except IngestError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, IngestError):
        raise found
    return found


def field_label(field: str, kind: str) -> str:
    """Translated field name, with ``*`` for required fields."""
    label = t(f"field.{field}")
    return t("field.required", label=label) if field in loader.REQUIRED_COLUMNS[kind] else label


def _sample(insp: ingest.Inspection, column: str) -> str:
    """First non-empty value of a column (as text), for the mapping table."""
    for value in insp.data.column(column).slice(0, 50).to_pylist():
        if value is not None and str(value).strip():
            return str(value).strip()[:40]
    return ""


def _sources(insp: ingest.Inspection) -> None:
    """Caption: sheets used (with header rows) and sheets ignored (with why)."""
    used = ", ".join(t("data.sheet_header", sheet=s, row=insp.header_rows.get(s, "?")) for s in insp.sheets)
    st.caption(escape_markdown(t("data.sheets_used", sheets=used)))
    if insp.sheets_ignored:
        ignored = ", ".join(f"{s} ({t(f'data.ignored.{why}')})" for s, why in insp.sheets_ignored.items())
        st.caption(escape_markdown(t("data.sheets_ignored", sheets=ignored)))


def _mapping_editor(insp: ingest.Inspection, digest: str) -> dict[str, str]:
    """Editable table file column → field; returns the chosen mapping {field: column}."""
    fields = list(loader.CANONICAL_COLUMNS[insp.kind])
    labels = {f: field_label(f, insp.kind) for f in fields}
    by_label = {v: k for k, v in labels.items()}
    field_of = {column: fld for fld, column in insp.mapping.items()}
    confidence = {m.column: m.confidence for m in insp.matches}
    table = pd.DataFrame(
        {
            "column": insp.headers,
            "sample": [_sample(insp, c) for c in insp.headers],
            "field": [labels.get(field_of.get(c, ""), _NONE) for c in insp.headers],
            "confidence": [float(confidence.get(c, 0.0)) if c in field_of else 0.0 for c in insp.headers],
        }
    )
    st.markdown(f"**{t('data.mapping')}**", help=t("data.mapping_help"))
    edited = st.data_editor(
        table,
        key=f"map_{digest}_{insp.kind}",
        hide_index=True,
        disabled=["column", "sample", "confidence"],
        column_config={
            "column": st.column_config.TextColumn(t("col.file_column")),
            "sample": st.column_config.TextColumn(t("col.sample")),
            "field": st.column_config.SelectboxColumn(t("col.field"), options=[_NONE, *labels.values()], required=True),
            "confidence": st.column_config.ProgressColumn(
                t("col.confidence"), min_value=0.0, max_value=1.0, format="percent"
            ),
        },
    )
    mapping: dict[str, str] = {}
    for column, label in zip(edited["column"], edited["field"], strict=True):
        fld = by_label.get(str(label))
        if fld is None:
            continue
        if fld in mapping:
            st.warning(escape_markdown(t("data.mapping_duplicate", field=labels[fld], column=mapping[fld])))
            continue
        mapping[fld] = str(column)
    return mapping


def _constants(insp: ingest.Inspection, mapping: dict[str, str], digest: str) -> dict[str, str]:
    """Text inputs for whole-upload values of unmapped fields (prefilled from the file name)."""
    fields = [f for f in CONSTANT_FIELDS if f in loader.CANONICAL_COLUMNS[insp.kind] and f not in mapping]
    if not fields:
        return {}
    st.markdown(f"**{t('data.constants')}**", help=t("data.constants_help"))
    values: dict[str, str] = {}
    for col, fld in zip(st.columns(len(fields)), fields, strict=True):
        text = col.text_input(
            t(f"field.{fld}"), value=insp.suggested_constants.get(fld, ""), key=f"const_{digest}_{insp.kind}_{fld}"
        )
        if text.strip():
            values[fld] = text.strip()
    return values


def _prepare(
    slot: dict[str, Any],
    insp: ingest.Inspection,
    mapping: dict[str, str],
    constants: dict[str, str],
    order: Any,
    scale: tuple[float, float] | None = None,
    progress: ingest.Progress | None = None,
) -> ingest.Prepared:
    """Prepare (parse and validate) once per distinct set of choices (``scale``: a survey's confirmed scale)."""
    key = json.dumps([insp.kind, sorted(mapping.items()), sorted(constants.items()), order, scale], ensure_ascii=False)
    if slot.get("prepared_key") != key:
        # the inputs above are the whole truth: no hidden suggested constants
        bare = dataclasses.replace(insp, suggested_constants={})
        parsed = ingest.prepare(
            bare, mapping=mapping, constants=constants, date_order=order, survey_scale=scale, progress=progress
        )
        slot["prepared"] = access.restrict_upload(parsed, state.user())
        slot["prepared_key"] = key
    prepared: ingest.Prepared = slot["prepared"]
    return prepared


def _date_order_choice(digest: str) -> None:
    """Day-first / month-first radio (only after the file turned out to be ambiguous)."""
    lang = state.lang()
    st.radio(
        t("data.date_order"),
        ["dmy", "mdy"],
        index=None,
        key=f"order_{digest}",
        format_func=lambda o: t(f"data.{o}", lang),  # lang bound: AppTest formats outside the run
        horizontal=True,
    )


def _survey_scale_choice(prepared: ingest.Prepared, digest: str) -> None:
    """The survey's score scale, detected from its scores, for the user to confirm or correct (SPEC §2.3).

    Changing it re-validates the file: scores outside the chosen scale are reported as bad rows.
    """
    lang = state.lang()
    detected = prepared.survey_scale or ingest.SURVEY_SCALES[0]
    options = list(ingest.SURVEY_SCALES)
    if detected not in options:  # scores beyond every standard scale
        options.append(detected)
    st.selectbox(
        t("sat.upload.scale"),
        options,
        index=options.index(detected),
        format_func=lambda s: t("sat.upload.scale_option", lang, low=f"{s[0]:g}", high=f"{s[1]:g}"),
        key=f"scale_{digest}",
        help=t("sat.upload.scale_help"),
    )
    if prepared.dimensions:
        st.caption(escape_markdown(t("sat.upload.dimensions", names=t("sat.list_sep").join(prepared.dimensions))))


def _report(prepared: ingest.Prepared, digest: str, lang: str) -> None:
    """Validation report before anything is stored."""
    st.markdown(f"**{t('data.report')}**")
    skipped = sum(prepared.skipped.values())
    cols = st.columns(3)
    cols[0].metric(t("data.rows_read"), f"{prepared.rows_read:,}")
    cols[1].metric(t("data.rows_to_store"), f"{len(prepared.frame):,}")
    cols[2].metric(t("data.rows_skipped"), f"{skipped:,}")
    if prepared.skipped:
        reasons = pd.DataFrame(
            {
                "reason": [errors.reason_label(r, lang) for r in prepared.skipped],
                "rows": list(prepared.skipped.values()),
            }
        )
        st.caption(t("data.skipped_by_reason"))
        st.dataframe(tables.labelled(reasons), hide_index=True, width="content")
    for code, n in prepared.warnings.items():
        if code in errors.MESSAGES:  # a warning with its own sentence (formulas without a result)
            st.warning(escape_markdown(_say(code, lang, n=n)))
            continue
        fld = code.removeprefix("bad_")
        st.warning(escape_markdown(t("data.warning_cells", field=t(f"field.{fld}"), n=n)))
    if not prepared.bad_rows.empty:
        st.caption(t("data.bad_rows"))
        bad = prepared.bad_rows.assign(reason=prepared.bad_rows["reason"].map(lambda r: errors.reason_label(r, lang)))
        tables.show(bad, key=f"bad_{digest}", file_name="rejected_rows", height=240)


def _result(result: ingest.IngestResult, lang: str) -> None:
    """Outcome of a commit (kept in the session so it survives the rerun that follows)."""
    text = escape_markdown(result.message)
    if result.status == "stored":
        st.success(text, icon=":material/check_circle:")
        if result.rows_skipped:
            parts = ", ".join(f"{errors.reason_label(r, lang)}: {n}" for r, n in result.rows_skipped.items())
            st.caption(escape_markdown(parts))
    elif result.status == "duplicate":
        st.info(text)
    else:
        st.error(text)


def file_panel(name: str, data: bytes) -> None:
    """The whole flow for one uploaded file, inside a bordered container.

    An unexpected error is logged and shown as one sentence inside this file's panel, so the
    other files and the upload log stay usable.
    """
    with st.container(border=True):
        st.markdown(f"#### {escape_markdown(name)}")
        try:
            # parse, checks and store are the heavy part of an upload: other sessions' reruns go first
            with _progress(name, len(data)) as progress, priority.background():
                _file_flow(name, data, progress)
        except Exception:
            log.exception("upload panel for %r failed", name)
            st.error(t("error.unexpected"))


def _file_flow(name: str, data: bytes, progress: ingest.Progress | None) -> None:
    """Inspect → mapping → constants → report → confirm, for one file (``progress`` hears of each stage)."""
    lang = state.lang()
    digest = readers.file_hash(data)
    slot = _slot(digest)
    if "result" in slot:
        _result(slot["result"], lang)
        return
    with state.cursor() as cur:
        duplicate = ingest.find_duplicate(cur, digest)
    if duplicate is not None:
        st.info(escape_markdown(_say("duplicate", lang, upload_id=duplicate)))
        return
    try:
        detected = _inspect(slot, data, name, None, progress)
        kind = st.selectbox(
            t("data.kind"),
            loader.KINDS,
            index=loader.KINDS.index(detected.kind),
            format_func=lambda k: t(f"kind.{k}", lang),
            key=f"kind_{digest}",
            help=t("data.kind_detected", kind=t(f"kind.{detected.kind}")),
        )
        insp = detected if kind == detected.kind else _inspect(slot, data, name, kind, progress)
    except IngestError as exc:
        st.error(escape_markdown(_render(exc, lang)))
        return
    _sources(insp)
    mapping = _mapping_editor(insp, digest)
    constants = _constants(insp, mapping, digest)
    order_key = f"order_{digest}"
    if slot.get("ambiguous"):
        _date_order_choice(digest)
    try:
        scale = st.session_state.get(f"scale_{digest}") if insp.kind == "surveys" else None
        prepared = _prepare(slot, insp, mapping, constants, st.session_state.get(order_key), scale, progress)
    except IngestError as exc:
        st.error(escape_markdown(_render(exc, lang)))
        if exc.code == "ambiguous_dates" and not slot.get("ambiguous"):
            slot["ambiguous"] = True
            _date_order_choice(digest)
        return
    if insp.kind == "surveys":
        _survey_scale_choice(prepared, digest)
    _report(prepared, digest, lang)
    _confirm(slot, prepared, digest, lang, progress)


def _confirm(
    slot: dict[str, Any], prepared: ingest.Prepared, digest: str, lang: str, progress: ingest.Progress | None
) -> None:
    """Overlap choice (when needed) and the Confirm button that stores the upload."""
    if prepared.frame.empty:
        st.warning(t("data.nothing_to_store"))
        return
    with state.cursor() as cur:
        clash = ingest.find_overlap(cur, prepared)
    choice = None
    if clash is not None:
        st.warning(
            escape_markdown(
                _say(
                    "overlap", lang, rows=f"{clash.rows:,}", regions="/".join(clash.regions) or "-",
                    first=clash.first, last=clash.last, files=", ".join(clash.uploads),
                )
            )
        )  # fmt: skip
        choice = st.radio(
            t("data.overlap_choice"),
            ["replace", "append"],
            index=None,
            key=f"overlap_{digest}",
            format_func=lambda o: t(f"data.overlap.{o}", lang),
        )
    if st.button(
        t("data.confirm"),
        type="primary",
        key=f"confirm_{digest}",
        disabled=clash is not None and choice is None,
        help=t("data.confirm_help"),
        icon=":material/save:",
    ):
        with state.write_cursor() as cur:
            user = state.user()
            slot["result"] = ingest.commit(
                cur,
                prepared,
                overlap=choice,
                lang=lang,
                uploaded_by=None if user is access.LOCAL_ADMIN else user.name,
                progress=progress,
            )
        slot.pop("prepared", None)  # the parsed frame is not needed any more
        slot.pop("prepared_key", None)
        st.rerun()


def _forget_result(upload_id: int) -> None:
    """After an undo, a file still in the uploader goes back to its report (it can be stored again)."""
    slots: dict[str, dict[str, Any]] = st.session_state.get(SLOTS_KEY, {})
    for slot in slots.values():
        result = slot.get("result")
        if result is not None and result.upload_id == upload_id:
            del slot["result"]


def _reasons_text(raw: object, lang: str) -> str:
    """The log's JSON {reason: n} as ``label n, …``."""
    try:
        reasons = json.loads(str(raw)) if raw else {}
    except json.JSONDecodeError:
        return str(raw)
    return ", ".join(f"{errors.reason_label(r, lang)} {n}" for r, n in reasons.items())


def upload_log() -> None:
    """The upload log (newest first) with download, and undo of any stored upload."""
    lang = state.lang()
    uploads = state.query(summary.uploads)
    user = state.user()
    if not user.is_admin:  # others see their own uploads only
        uploads = uploads.loc[uploads["uploaded_by"] == user.name]
    st.subheader(t("data.log"))
    for moved in store.quarantined_wals(state.db_path()):  # kept until an administrator deals with it
        st.warning(escape_markdown(_say("wal_quarantined", lang, path=moved)), icon=":material/report:")
    if uploads.empty:
        st.caption(t("data.log_empty"))
        return
    view = uploads.assign(
        kind=uploads["kind"].map(lambda k: t(f"kind.{k}")),
        status=uploads["status"].map(lambda s: t(f"status.{s}")),
        skipped_reasons=uploads["skipped_reasons"].map(lambda r: _reasons_text(r, lang)),
    )[LOG_COLUMNS]
    day = st.column_config.DateColumn(format="YYYY-MM-DD")
    moment = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
    tables.show(
        view,
        key="upload_log",
        file_name="upload_log",
        column_config={"first_date": day, "last_date": day, "uploaded_at": moment, "undone_at": moment},
    )
    stored = uploads.loc[uploads["status"] == "stored", ["upload_id", "file_name"]]
    if stored.empty or not state.user().is_admin:
        return
    names = dict(zip(stored["upload_id"].astype(int), stored["file_name"].astype(str), strict=True))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    upload_id = left.selectbox(
        t("data.undo_pick"),
        list(names),
        index=None,
        placeholder=t("data.undo_placeholder"),
        format_func=lambda i: f"#{i} · {names.get(i, '')}",
        key="undo_pick",
    )
    clicked = right.button(t("data.undo_button"), key="undo_button", icon=":material/undo:", disabled=upload_id is None)
    if clicked and upload_id is not None:
        try:
            with state.write_cursor() as cur:
                removed = loader.undo_upload(cur, int(upload_id))
            _forget_result(int(upload_id))
            state.flash("success", t("data.undone", id=upload_id, n=f"{removed:,}"))
        except LookupError:
            state.flash("info", t("data.undo_missing"))
        st.rerun()


def demo_controls() -> None:
    """Notice and one-click removal of the demo company."""
    fresh = state.query(summary.freshness)
    st.subheader(t("data.demo"))
    if not fresh.demo_loaded:
        st.caption(t("data.no_demo"))
        return
    st.info(t("data.demo_loaded"), icon=":material/science:")
    if state.user().is_admin and st.button(t("data.remove_demo"), key="remove_demo", icon=":material/delete:"):
        from data import demo  # lazy: only needed for this action

        with state.write_cursor() as cur:
            removed = demo.remove_demo(cur)
        state.flash("success", t("data.demo_removed", n=removed))
        st.rerun()
