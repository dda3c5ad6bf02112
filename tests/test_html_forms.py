"""The form reader of the admin tests sends what a browser sends."""

import pytest

from tests.html_forms import as_post_data, submit_buttons, submitted_entries

PAGE = """
<form id="other_form"><input name="elsewhere" value="x"></form>
<form id="thing_form" method="post" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="text" name="name" value="Pitié &amp; Cie">
  <input name="untyped" value="a">
  <input type="email" name="email" value="  a@example.org ">
  <input type="number" name="order" value="3">
  <input type="number" name="bad_number" value="3,5">
  <input type="checkbox" name="is_published" checked>
  <input type="checkbox" name="is_demo">
  <input type="radio" name="pattern" value="weekly">
  <input type="radio" name="pattern" value="monthly" checked>
  <input type="file" name="photo">
  <input type="text" name="locked" value="no" disabled>
  <select name="kind">
    <option value="">---------</option><option value="pilot">Pilote</option>
  </select>
  <select name="scope"><option value="a">A</option><option value="b" selected>B</option></select>
  <select name="axes" multiple>
    <option value="1" selected>Un</option><option value="2">Deux</option>
    <option value="3" selected disabled>Trois</option><option selected>  Sans   valeur </option>
  </select>
  <select name="empty_multiple" multiple></select>
  <textarea name="description">
Ligne un
Ligne deux</textarea>
  <textarea name="blank">
</textarea>
  <fieldset disabled><input name="inside_disabled" value="z"></fieldset>
  <input type="submit" name="_save" value="Enregistrer">
  <input type="submit" name="_continue" value="Enregistrer et continuer">
  <button name="_addanother">Ajouter</button>
</form>
"""


def test_it_sends_what_a_browser_sends():
    assert submitted_entries(PAGE, "thing_form", "_save") == [
        ("csrfmiddlewaretoken", "tok"),
        ("name", "Pitié & Cie"),
        ("untyped", "a"),
        ("email", "a@example.org"),
        ("order", "3"),
        ("bad_number", ""),
        ("is_published", "on"),
        ("pattern", "monthly"),
        ("kind", ""),
        ("scope", "b"),
        ("axes", "1"),
        ("axes", "Sans valeur"),
        ("description", "Ligne un\r\nLigne deux"),
        ("blank", ""),
        ("_save", "Enregistrer"),
    ]


def test_it_lists_the_submit_buttons_and_groups_values_by_name():
    assert submit_buttons(PAGE, "thing_form") == ["_save", "_continue", "_addanother"]
    data = as_post_data(submitted_entries(PAGE, "thing_form"))
    assert data["axes"] == ["1", "Sans valeur"]


def test_a_missing_form_or_button_is_an_error():
    with pytest.raises(AssertionError):
        submitted_entries(PAGE, "missing_form")
    with pytest.raises(AssertionError):
        submitted_entries(PAGE, "thing_form", "_delete")
