"""The one error type editors see: where the problem is and what is wrong."""


class SiteDataError(ValueError):
    """Bad input in a page or data file.

    `where` names the file and, when known, the line or key, so the message reads
    `docs/uses.md: front matter 'last_updated': ...`.
    """

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")
