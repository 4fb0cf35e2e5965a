"""Run every service double until Ctrl-C, e.g. to click through the app against them:

    python -m tests.fakes [--port-base 18000] [--bind 127.0.0.1] [--movies 2000 --shows 300]

It prints each double's URL and credentials, the `export` lines and `manage.py vault set`
commands that point `manage.py serve` at them, and two control links: one starts a viewer's
Plex session at a percentage (the autopilot reacts as to a real watch), one approves the
pending Sign in with Plex PIN.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import threading

from tests.fakes.suite import Doubles, start_all, start_control

ANY_ADDRESS = {"0.0.0.0", "::"}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes",
                                     description="Start every service double.")
    parser.add_argument("--movies", type=int, default=2000, help="catalog movies")
    parser.add_argument("--shows", type=int, default=300, help="catalog shows")
    parser.add_argument("--seed", type=int, default=1234, help="catalog seed")
    parser.add_argument("--legacy-libraries", action="store_true",
                        help="Plex also has 4 Old Movies (IMDb agent), 5 Old TV (TheTVDB agent) "
                             "and 6 Music")
    parser.add_argument("--sonarr-v3", action="store_true",
                        help="Sonarr plays v3 (language profiles) instead of v4")
    parser.add_argument("--port-base", type=int, default=0,
                        help="first of consecutive fixed ports (default: any free port); the "
                             "control links take the port after the doubles'")
    parser.add_argument("--bind", type=address, default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 for every "
                             "interface, e.g. when the app runs in a container)")
    return parser.parse_args(argv)


def address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an IP address") from None


def table(credentials: dict[str, dict]) -> str:
    rows = [(service, name, str(value)) for service, creds in credentials.items()
            for name, value in creds.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(f"{s:<{widths[0]}}  {n:<{widths[1]}}  {v}" for s, n, v in rows)


def shown(url: str, bind: str) -> str:
    """A URL to hand out: listening on every interface, loopback reaches it on this machine."""
    if bind not in ANY_ADDRESS:
        return url
    return url.replace(f"//{bind}:", "//127.0.0.1:").replace(f"//[{bind}]:", "//127.0.0.1:")


def setup_lines(creds: dict[str, dict], bind: str = "127.0.0.1",
                python: str = ".venv/bin/python") -> list[str]:
    """Shell lines for `manage.py serve`'s environment and the Vault, against these doubles."""
    c = {name: {k: shown(str(v), bind) for k, v in fields.items()} for name, fields in
         creds.items()}
    vault = f"{python} manage.py vault set"
    lines = ["# In the shell that runs manage.py serve (and run_job, vault):"]
    if "plextv" in c:
        lines.append(f"export PLEX_TV_URL={c['plextv']['url']}")
    lines += [f"export TMDB_BASE_URL={c['tmdb']['base']}",
              f"export GOOGLE_SEARCH_URL={c['google']['base']}",
              "export UPDATE_CHECK_ENABLED=false   # no request to GitHub for the update check"]
    lines.append("# Connect Plex and TMDB (or use the Vault page / Sign in with Plex):")
    if "plex" in c:
        lines.append(f"{vault} plex url={c['plex']['url']} token={c['plex']['token']}")
    lines.append(f"{vault} tmdb api_key={c['tmdb']['key']}")
    lines.append("# Optional services:")
    lines.append(f"{vault} openai api_key={c['openai']['key']} base_url={c['openai']['base']} "
                 f"model={c['openai']['model']}")
    lines.append(f"{vault} google api_key={c['google']['key']} cx={c['google']['cx']}")
    for arr in ("radarr", "sonarr"):
        a = c[arr]
        lines.append(f"{vault} {arr} url={a['url']} api_key={a['key']} "
                     f"root_folder={a['root_folder']} quality_profile={a['quality_profile_id']}")
    lines.append(f"{vault} overseerr url={c['overseerr']['url']} "
                 f"api_key={c['overseerr']['key']}")
    return lines


def control_lines(control, bind: str) -> list[str]:
    return ["Control links (open in a browser or with curl):",
            f"  start a viewer's session: {shown(control.session_url(), bind)}",
            "    (viewer: Ava Owner, Bea, Cy or Kiddo; title, optional year and library; "
            "percent 0-100)",
            f"  end it:                   {shown(control.url, bind)}/control/session/end"
            "?viewer=Bea",
            f"  approve Sign in with Plex: {shown(control.pin_url(), bind)}"]


def start(args: argparse.Namespace) -> tuple[Doubles, object]:
    doubles = start_all(n_movies=args.movies, n_shows=args.shows, seed=args.seed,
                        port_base=args.port_base, legacy_libraries=args.legacy_libraries,
                        sonarr_v3=args.sonarr_v3, host=args.bind)
    if doubles.plex is None:
        return doubles, None
    try:
        port = args.port_base + len(doubles.servers()) if args.port_base else 0
        return doubles, start_control(doubles, host=args.bind, port=port)
    except BaseException:
        doubles.stop()
        raise


def main(argv=None) -> int:
    args = parse_args(argv)
    doubles, control = start(args)
    print(table({name: {k: shown(str(v), args.bind) for k, v in fields.items()}
                 for name, fields in doubles.credentials().items()}))
    print()
    print("\n".join(setup_lines(doubles.credentials(), args.bind)))
    print()
    if control is None:
        print("(tests.fakes.plex is not importable: no Plex doubles, no control links)")
    else:
        print("\n".join(control_lines(control, args.bind)))
    print("Serving; Ctrl-C to stop.", flush=True)
    done = threading.Event()
    # Both signals end the run; set explicitly because a shell's `&` starts us ignoring SIGINT.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    try:
        while not done.wait(0.5):
            pass
    finally:
        if control is not None:
            control.stop()
        doubles.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
