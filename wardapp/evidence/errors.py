"""The refusal a submission can meet, with the status to answer and a message per field."""


class SubmissionError(Exception):
    def __init__(self, status: int, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = {k: str(v) for k, v in (fields or {}).items()}
