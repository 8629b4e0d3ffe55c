"""Stand-in tables for the handout's page budget, used until (and besides) the real generated ones.

They are as large as the generated tables can reasonably get, in two shapes: the
20 side effects the article lists as one-line rows, and a comparison with the
article's wording for each drug in its own column ("Not listed in the sources"
where it says nothing), grouped, with cells that wrap. Test-only: never published.
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
NOT_LISTED = "Not listed in the sources"
BOTH = [
    ("Anxiety", "Anxiety or fear", "Anxiety"),
    ("Nausea and vomiting", "Nausea, vomiting", "Nausea and vomiting"),
    ("Dizziness", "Dizziness", "Dizziness or vertigo"),
    ("Confusion", "Confusion or disorientation", "Confusion"),
    ("High blood pressure", "High blood pressure", "High blood pressure"),
]
ONE = [(k.split(",")[0], k, NOT_LISTED) for k in KETAMINE if not any(k == b[1] for b in BOTH)] + [
    (e, NOT_LISTED, e) for e in ESKETAMINE if not any(e == b[2] for b in BOTH)
]


def _table(caption: str, head: list[str], groups: dict[str, list]) -> str:
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = ""
    for group, rows in groups.items():
        if group:
            body += f'<tr><th scope="rowgroup" colspan="{len(head)}">{group}</th></tr>'
        for row in rows:
            body += f'<tr><th scope="row">{row[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>"
    return f"<table>\n<caption>{caption}</caption>\n<thead><tr>{ths}</tr></thead>\n<tbody>{body}</tbody>\n</table>"


def tables(shape: str) -> tuple[str, str]:
    head = ["Side effect", "Ketamine", "Esketamine (Spravato)"]
    caption = "Common side effects of ketamine and esketamine (Spravato)"
    if shape == "one-line rows":
        rows = [[item, "Yes", "—"] for item in KETAMINE] + [[item, "—", "Yes"] for item in ESKETAMINE]
        common = _table(caption, head, {"": rows})
        serious = _table("Serious side effects of ketamine", ["Side effect", "Ketamine"], {"": [[s, "Yes"] for s in SERIOUS]})
    elif shape == "wrapped rows":
        common = _table(caption, head, {"Listed for both": BOTH, "Listed for one": ONE})
        when = "Higher doses of ketamine or an IV infusion that’s given too fast"
        serious = _table("Serious side effects of ketamine", ["Side effect", "More common with"], {"": [[s, when] for s in SERIOUS]})
    else:
        raise ValueError(shape)
    return common, serious


SHAPES = ["one-line rows", "wrapped rows"]


def with_largest_tables(markdown: str, shape: str) -> str:
    common, serious = tables(shape)
    return markdown.replace("<!-- insert: table side-effects -->", common).replace("<!-- insert: table serious-side-effects -->", serious)
