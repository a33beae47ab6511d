"""`upmon user list|create|set-role|disable|delete|passwd` (and `create-admin`).

A password is read from the terminal (asked twice) or, when stdin is not a
terminal, from its first line: never from a flag, which `ps` and shell history
would show. `create-admin --password` still works for old scripts, with a warning."""

from __future__ import annotations

import argparse
import getpass
import sys

import msgspec

from cli.main import CliError, on_postgres


def read_password(stdin=None) -> str:
    stdin = stdin or sys.stdin
    if stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != password:
            raise CliError("passwords do not match")
        return password
    line = stdin.readline().rstrip("\r\n")
    if not line:
        raise CliError("no password on stdin (pipe it in, or run on a terminal to be asked)")
    return line


def _on_postgres(args: argparse.Namespace, work):
    from shared.accounts import AccountError

    try:
        return on_postgres(args, work)
    except AccountError as exc:
        raise CliError(str(exc)) from None


def _ask_email(args: argparse.Namespace) -> str:
    if args.email:
        return args.email
    if not sys.stdin.isatty():
        raise CliError("missing --email (no terminal to ask on)")
    return input("Email: ")


def _create(args: argparse.Namespace, role: str, password: str | None = None) -> None:
    from services.api.stores.users import create_user
    from shared.accounts import check_email

    email = _ask_email(args)
    try:
        check_email(email)  # before asking for a password that would be wasted
    except ValueError as exc:
        raise CliError(str(exc)) from None
    password = password or read_password()
    name = args.name or ""
    user_id = _on_postgres(args, lambda conn: create_user(conn, email, password, name, role))
    print(f"{role} {email.strip().lower()} created (id {user_id})")


def cmd_create(args: argparse.Namespace) -> None:
    _create(args, args.role)


def cmd_create_admin(args: argparse.Namespace) -> None:
    if args.password:
        print(
            "upmon: warning: --password is deprecated and will go: it shows in `ps` and shell"
            " history. Leave it out to be asked, or pipe the password on stdin.",
            file=sys.stderr,
        )
    _create(args, "admin", args.password)


def cmd_list(args: argparse.Namespace) -> None:
    from services.api.stores.users import list_users

    users = _on_postgres(args, list_users)
    if args.json:
        print(msgspec.json.encode(users).decode())
        return
    rows = [("ID", "EMAIL", "ROLE", "STATE", "NAME")] + [
        (u.id, u.email, u.role, "disabled" if u.disabled else "active", u.name) for u in users
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def cmd_set_role(args: argparse.Namespace) -> None:
    from services.api.stores.users import update_user

    user = _on_postgres(args, lambda conn: update_user(conn, args.user, role=args.role))
    print(f"{user.email} is now {user.role}")


def cmd_disable(args: argparse.Namespace) -> None:
    from services.api.stores.users import update_user

    disabled = not args.enable
    user = _on_postgres(args, lambda conn: update_user(conn, args.user, disabled=disabled))
    print(f"{user.email} {'disabled: its sessions ended' if disabled else 'enabled'}")


def cmd_delete(args: argparse.Namespace) -> None:
    from services.api.stores.users import delete_user

    user = _on_postgres(args, lambda conn: delete_user(conn, args.user))
    print(f"{user.email} deleted")


def cmd_passwd(args: argparse.Namespace) -> None:
    from services.api.stores.users import find_user, set_password

    _on_postgres(args, lambda conn: find_user(conn, args.user))
    password = read_password()
    user = _on_postgres(args, lambda conn: set_password(conn, args.user, password))
    print(f"password of {user.email} changed; its sessions ended")


def register(sub: argparse._SubParsersAction, parser_class) -> None:
    user = sub.add_parser("user", help="manage users").add_subparsers(
        dest="action", required=True, parser_class=parser_class
    )
    ls = user.add_parser("list", help="every user with role and state")
    ls.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ls.set_defaults(func=cmd_list)

    create = user.add_parser(
        "create", help="create a user (password asked, or the first line of stdin)"
    )
    create.add_argument("--email")
    create.add_argument("--role", choices=["read", "write", "admin"], default="read")
    create.add_argument("--name")
    create.set_defaults(func=cmd_create)

    admin = user.add_parser("create-admin", help="create an admin user")
    admin.add_argument("--email")
    admin.add_argument("--password", help="deprecated: leave it out to be asked")
    admin.add_argument("--name")
    admin.set_defaults(func=cmd_create_admin)

    role = user.add_parser("set-role", help="change a user's role (read < write < admin)")
    role.add_argument("user", help="email or id")
    role.add_argument("role", choices=["read", "write", "admin"])
    role.set_defaults(func=cmd_set_role)

    disable = user.add_parser("disable", help="disable a user: its login tokens stop at once")
    disable.add_argument("user", help="email or id")
    disable.add_argument("--enable", action="store_true", help="enable it again instead")
    disable.set_defaults(func=cmd_disable)

    delete = user.add_parser("delete", help="delete a user and its sessions")
    delete.add_argument("user", help="email or id")
    delete.set_defaults(func=cmd_delete)

    passwd = user.add_parser("passwd", help="set a user's password (asked, or from stdin)")
    passwd.add_argument("user", help="email or id")
    passwd.set_defaults(func=cmd_passwd)
