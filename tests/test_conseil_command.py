"""`permis-tui conseil`: the retour-au-permis advice without a draft (R224-20, F1704, F21774)."""

from __future__ import annotations

import json

import pytest

from permis_tui.cli import main

ISSUE_EXAMPLE = [
    "conseil",
    "--mesure",
    "invalidation",
    "--premier-permis",
    "01/06/2010",
    "--date-mesure",
    "20/12/2023",
    "--restitution",
    "01/01/2024",
    "--duree-mois",
    "6",
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_issue_example_handed_back_14_months_ago_json(capsys):
    """Licence since 2010, handed back 14 months ago, 6-month ban → code et conduite."""
    code, out, _ = run(capsys, *ISSUE_EXAMPLE, "--aujourdhui", "01/03/2025", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["epreuves"] == "code_conduite"
    assert data["delai_depasse"] is True
    assert data["dernier_jour"] == "2024-09-30"
    assert any("a pris fin le 30/09/2024" in r for r in data["raisons"])
    assert "examen psychotechnique" in data["etapes"][0]
    assert "avis médical" in data["etapes"][1]


def test_f1704_within_nine_months_of_hand_back_code_only_text(capsys):
    code, out, _ = run(capsys, *ISSUE_EXAMPLE, "--aujourdhui", "30/09/2024")
    assert code == 0
    assert "Épreuve théorique (code) uniquement" in out
    assert (
        "Inscrivez-vous sur le site de l'ANTS avant le 01/10/2024 (dernier jour : 30/09/2024) "
        "pour ne repasser que le code."
    ) in out
    assert "pendant l'interdiction" in out
    code, out, _ = run(capsys, *ISSUE_EXAMPLE, "--aujourdhui", "01/10/2024", "--json")
    assert json.loads(out)["epreuves"] == "code_conduite"


def test_f21774_annulation_counts_from_the_end_of_the_ban(capsys):
    argv = [
        "conseil",
        "--mesure",
        "annulation",
        "--premier-permis",
        "01/06/2010",
        "--date-mesure",
        "01/03/2024",
        "--restitution",
        "10/03/2024",
        "--duree-mois",
        "8",
        "--fin-interdiction",
        "01/11/2024",
    ]
    code, out, _ = run(capsys, *argv, "--aujourdhui", "01/06/2024", "--json")
    data = json.loads(out)
    assert data["epreuves"] == "code"
    assert data["inscription_avant"] == "2025-08-01" and data["dernier_jour"] == "2025-07-31"
    assert data["inscription_possible_a_partir_du"] == "2024-11-01"
    assert data["etapes"][2].startswith("À partir du 01/11/2024")
    code, out, _ = run(capsys, *argv, "--aujourdhui", "01/08/2025", "--json")
    assert json.loads(out)["epreuves"] == "code_conduite"


def test_ban_of_a_year_gives_no_deadline(capsys):
    argv = [a if a != "6" else "12" for a in ISSUE_EXAMPLE]
    code, out, _ = run(capsys, *argv, "--recidive", "--aujourdhui", "01/02/2024", "--json")
    data = json.loads(out)
    assert data["epreuves"] == "code_conduite"
    assert data["inscription_avant"] is None and data["delai_depasse"] is False


@pytest.mark.parametrize(
    "option, value, fragment",
    [
        ("--date-mesure", "31/02/2023", "argument --date-mesure : Cette date n'existe pas"),
        ("--restitution", "2024-01-01", "argument --restitution : Format attendu : JJ/MM/AAAA"),
        ("--duree-mois", "six", "argument --duree-mois : Saisissez un nombre entier de mois"),
    ],
)
def test_bad_value_names_the_option_exit_2(capsys, option, value, fragment):
    argv = list(ISSUE_EXAMPLE)
    argv[argv.index(option) + 1] = value
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert fragment in err
    assert "Traceback" not in err


def test_missing_date_names_the_option_exit_2(capsys):
    argv = list(ISSUE_EXAMPLE)
    i = argv.index("--restitution")
    del argv[i : i + 2]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "arguments obligatoires manquants : --restitution" in err


def test_annulation_without_end_of_ban_exit_2(capsys):
    argv = ["annulation" if a == "invalidation" else a for a in ISSUE_EXAMPLE]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "--fin-interdiction est obligatoire après une annulation" in err


def test_dates_out_of_order_exit_2(capsys):
    argv = list(ISSUE_EXAMPLE)
    argv[argv.index("--premier-permis") + 1] = "01/01/2024"
    code, _, err = run(capsys, *argv)
    assert code == 2 and "--premier-permis doit précéder --date-mesure" in err
