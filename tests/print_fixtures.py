"""Stand-in tables for the handout's page budget, used until (and besides) the real generated ones.

They are as large as the real tables can reasonably get: the 20 side effects the
article lists, as rows of a 3-column comparison, and the 4 serious ones.
Test-only: never published.
"""

from __future__ import annotations

KETAMINE = [
    "Dissociation, hallucinations, changes in perception", "Elevated mood", "Anxiety or fear", "Nausea, vomiting",
    "Dizziness", "Loss of coordination and balance", "Confusion or disorientation", "Blurred vision",
    "Muscle stiffness or spasms", "Fast heart rate", "High blood pressure",
]
ESKETAMINE = [
    "Anxiety", "Drowsiness", "Nausea and vomiting", "Dizziness or vertigo", "Distorted sense of time and space",
    "High blood pressure", "Confusion", "Impaired ability to drive or operate machinery", "Pain when peeing",
]
SERIOUS = ["Difficulty breathing", "Slow heart rate", "Seizures", "Coma"]


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join(
        "<tr>" + f'<th scope="row">{row[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>" for row in rows
    )
    return f"<table>\n<caption>{caption}</caption>\n<thead><tr>{ths}</tr></thead>\n<tbody>{body}</tbody>\n</table>"


def side_effects_table() -> str:
    rows = [[item, "Yes", "—"] for item in KETAMINE] + [[item, "—", "Yes"] for item in ESKETAMINE]
    return _table("Common side effects of ketamine and esketamine", ["Side effect", "Ketamine", "Esketamine (Spravato)"], rows)


def serious_table() -> str:
    return _table("Serious side effects of ketamine", ["Side effect", "Ketamine"], [[item, "Yes"] for item in SERIOUS])


def with_worst_case_tables(markdown: str) -> str:
    return markdown.replace("<!-- table: side-effects -->", side_effects_table()).replace(
        "<!-- table: serious-side-effects -->", serious_table()
    )
