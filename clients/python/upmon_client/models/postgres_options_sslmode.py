from enum import StrEnum


class PostgresOptionsSslmode(StrEnum):
    DISABLE = "disable"
    PREFER = "prefer"
    REQUIRE = "require"
    VERIFY_CA = "verify-ca"
    VERIFY_FULL = "verify-full"

    def __str__(self) -> str:
        return str(self.value)
