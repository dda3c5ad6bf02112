"""The proof-reader of the typography gate finds what it should, and only that."""

import pytest

from tests.gates.typography import mistakes, visible_text


@pytest.mark.parametrize(
    "html",
    [
        "<p>Adresse : 2 rue Foch</p>",
        "<p><strong>Adresse</strong> : 2 rue Foch</p>",
        "<p>Vraiment ?</p>",
        "<p>« Brest »</p>",
        "<p>à 54 km du centre</p>",
        "<p>à 14 h 00</p>",
        "<p>le 1 octobre 2026</p>",
        "<p>Centre hospitalier de Ajaccio</p>",
        "<p>les centres de Angers</p>",
    ],
)
def test_each_mistake_is_found(html):
    assert mistakes(html), html


@pytest.mark.parametrize(
    "html",
    [
        "<p>Adresse\u00a0: 2 rue Foch</p>",
        "<p><strong>Adresse</strong>\u00a0: 2 rue Foch</p>",
        "<p>Vraiment\u202f?</p>",
        "<p>«\u00a0Brest\u00a0»</p>",
        "<p>à 54\u00a0km du centre, 14\u00a0h\u00a000</p>",
        "<p>le 1er octobre 2026</p>",
        "<p>Centre hospitalier d’Ajaccio, de Brest, de Haute-Corse</p>",
        "<p><code>a : b</code></p>",
        "<ul><li>Un</li><li>: deux</li></ul>",
        "<script>var a = 1 ;</script><p>Rien</p>",
        "<p>Ouvert 24/7, 3 ans</p>",
    ],
)
def test_correct_text_and_code_pass(html):
    assert not mistakes(html), mistakes(html)


def test_blocks_are_read_apart():
    assert visible_text("<h2>Titre</h2><p>Texte</p>").count("¶") >= 2
