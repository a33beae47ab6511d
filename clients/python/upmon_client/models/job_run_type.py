from enum import StrEnum


class JobRunType(StrEnum):
    JOB_RUN = "job.run"

    def __str__(self) -> str:
        return str(self.value)
