"""What a browser submits from an HTML form, read from the page's HTML alone.

Tests that post `response.context` values back send what Django thinks the
form holds; a browser sends what the page shows. The two differ exactly where
data gets lost: a choice the widget does not render, a disabled field, a
textarea's newlines (CRLF on the wire), an unchecked box. This reader follows
the HTML standard's form submission ("constructing the entry list") for the
controls Django renders:

- input: checkboxes and radios only when checked (value "on" by default);
  newlines stripped from text-like values, whitespace trimmed from url and
  email ones, a number input's unparsable value sent empty; file inputs
  skipped (no file chosen), buttons only as the submitter;
- select: its selected options (several for `multiple`); a single select with
  none selected sends its first enabled option; an option's value is its text
  when it has no value attribute;
- textarea: its text, less the one newline that follows the start tag;
- disabled controls (or inside a disabled fieldset, or disabled options)
  are not sent; newlines in every value are sent as CRLF.
"""

import re
from html.parser import HTMLParser

TEXT_TYPES = {"text", "search", "tel", "password", "url", "email"}
OTHER_TYPES = {"hidden", "checkbox", "radio", "file", "number", "range", "color"}
OTHER_TYPES |= {"date", "time", "datetime-local", "month", "week"}
BUTTON_TYPES = {"submit", "image", "reset", "button"}  # sent only as the submitter


class _Select:
    def __init__(self, name: str, multiple: bool, disabled: bool):
        self.name = name
        self.multiple = multiple
        self.disabled = disabled
        self.options: list[list] = []  # [value or None, text, selected, disabled]


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.found = False
        self.inside = False
        self.entries: list[tuple[str, str]] = []
        self.submitters: list[tuple[str, str]] = []
        self.disabled_fieldsets = 0
        self.fieldsets: list[bool] = []
        self.select: _Select | None = None
        self.option: list | None = None
        self.optgroup_disabled = False
        self.textarea: tuple[str, list[str]] | None = None

    # --- Structure ---------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            if attrs.get("id") == self.form_id and not self.found:
                self.found = self.inside = True
            return
        if not self.inside:
            return
        if tag == "fieldset":
            disabled = "disabled" in attrs
            self.fieldsets.append(disabled)
            self.disabled_fieldsets += disabled
            return
        disabled = "disabled" in attrs or self.disabled_fieldsets > 0
        if tag == "input":
            self._input(attrs, disabled)
        elif tag == "button":
            if attrs.get("type", "submit") == "submit" and "name" in attrs and not disabled:
                self.submitters.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self.select = _Select(attrs.get("name", ""), "multiple" in attrs, disabled)
        elif tag == "optgroup":
            self.optgroup_disabled = "disabled" in attrs
        elif tag == "option" and self.select is not None:
            self.option = [
                attrs.get("value"),
                "",
                "selected" in attrs,
                "disabled" in attrs or self.optgroup_disabled,
            ]
            self.select.options.append(self.option)
        elif tag == "textarea":
            self.textarea = (attrs.get("name", "") if not disabled else "", [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "option":
            self.option = None

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "fieldset" and self.fieldsets:
            self.disabled_fieldsets -= self.fieldsets.pop()
        elif tag == "option":
            self.option = None
        elif tag == "optgroup":
            self.optgroup_disabled = False
        elif tag == "select" and self.select is not None:
            self._end_select(self.select)
            self.select = self.option = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            if name:
                self.entries.append((name, text))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option[1] += data

    # --- Controls --------------------------------------------------------------------

    def _input(self, attrs, disabled):
        kind = attrs.get("type", "text").lower()
        if kind not in TEXT_TYPES | OTHER_TYPES | BUTTON_TYPES:
            kind = "text"  # an unknown type is a text field
        name = attrs.get("name")
        if disabled or not name or kind == "file":
            return
        if kind in BUTTON_TYPES:
            if kind == "submit":
                self.submitters.append((name, attrs.get("value", "")))
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.entries.append((name, attrs.get("value", "on")))
            return
        value = attrs.get("value", "")
        if kind in ("number", "range"):
            value = value if _is_float(value) else ""
        elif kind in TEXT_TYPES:
            value = value.replace("\r", "").replace("\n", "")
            if kind in ("url", "email"):
                value = value.strip(" \t\n\f\r")
        self.entries.append((name, value))

    def _end_select(self, select: _Select):
        if select.disabled or not select.name:
            return
        values = [
            (value if value is not None else _collapse(text), selected, disabled)
            for value, text, selected, disabled in select.options
        ]
        if select.multiple:
            chosen = [value for value, selected, disabled in values if selected and not disabled]
        else:
            selected = [v for v in values if v[1]]
            if selected:
                last = selected[-1]  # the last selected option wins
                chosen = [] if last[2] else [last[0]]
            else:
                enabled = [value for value, _selected, disabled in values if not disabled]
                chosen = enabled[:1]
        self.entries.extend((select.name, value) for value in chosen)


def _is_float(value: str) -> bool:
    return bool(re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", value))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def submitted_entries(html: str, form_id: str, submitter: str | None = None) -> list:
    """The (name, value) pairs a browser sends from the form `form_id`, in order,
    with the named submit button (if given; it must be on the page)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    if not reader.found:
        raise AssertionError(f"No form with id {form_id!r} in the page.")
    entries = list(reader.entries)
    if submitter is not None:
        buttons = [entry for entry in reader.submitters if entry[0] == submitter]
        if not buttons:
            raise AssertionError(f"No submit button named {submitter!r} in the form.")
        entries.append(buttons[0])
    return [(_crlf(name), _crlf(value)) for name, value in entries]


def submit_buttons(html: str, form_id: str) -> list[str]:
    """The names of the form's enabled submit buttons."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    return [name for name, _value in reader.submitters]


def as_post_data(entries) -> dict[str, list[str]]:
    """Entries as the test client's POST data (every name with its list of values)."""
    data: dict[str, list[str]] = {}
    for name, value in entries:
        data.setdefault(name, []).append(value)
    return data
