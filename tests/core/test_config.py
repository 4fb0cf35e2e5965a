"""Malformed environment values stop start-up with one sentence naming the variable."""

import pytest

from tests.core.procs import clean_env, manage


@pytest.mark.parametrize("name, value, sentence", [
    ("DATABASE_URL", "nonsense", "DATABASE_URL must be a database URL"),
    ("PORT", "eighty", "PORT must be a whole number"),
    ("DB_PRE_MIGRATE_BACKUP_KEEP", "0", "DB_PRE_MIGRATE_BACKUP_KEEP must be between 1 and 1000"),
    ("DB_PRE_MIGRATE_BACKUP", "perhaps", "DB_PRE_MIGRATE_BACKUP must be true or false"),
    ("REDIS_URL", "localhost:6379", "REDIS_URL must be a redis/rediss/unix URL"),
    ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of"),
    ("TZ", "Mars/Olympus", "TZ must be a time zone name"),
    ("CSRF_TRUSTED_ORIGINS", "plex.example.com", "CSRF_TRUSTED_ORIGINS must list origins"),
    ("TRUST_X_FORWARDED_PROTO", "sometimes", "TRUST_X_FORWARDED_PROTO must be true or false"),
])
def test_config_malformed_value_names_variable(tmp_path, name, value, sentence):
    result = manage("check", env=clean_env(tmp_path, **{name: value}))
    assert result.returncode == 2
    assert sentence in result.stderr
    assert "Traceback" not in result.stderr


def test_config_secret_key_generated_once_private_and_reused(tmp_path):
    env = clean_env(tmp_path)
    assert manage("check", env=env).returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert manage("check", env=env).returncode == 0
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(first) >= 50


def test_config_file_aware_secret_key(tmp_path):
    secret = tmp_path / "sk"
    secret.write_text("from-a-file-0123456789")
    env = clean_env(tmp_path, SECRET_KEY_FILE=str(secret))
    result = manage("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)",
                    env=env)
    assert result.stdout.strip().splitlines()[-1] == "from-a-file-0123456789"


def test_config_missing_file_variable_names_it(tmp_path):
    result = manage("check", env=clean_env(tmp_path, APP_MASTER_KEY_FILE=str(tmp_path / "nope")))
    assert result.returncode == 2
    assert "APP_MASTER_KEY_FILE names" in result.stderr
    assert "Traceback" not in result.stderr



def _start_together(path, starters: int) -> tuple[list[str], list[str]]:
    """`starters` threads read the secret at the same instant; their keys and errors."""
    import threading

    from immaculaterr import config

    barrier = threading.Barrier(starters)
    found, errors = [], []

    def start():
        barrier.wait()
        try:
            found.append(config.persistent_secret("IMMACULATERR_TEST_UNSET", path))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever a starter hit
            errors.append(repr(exc))

    threads = [threading.Thread(target=start) for _ in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found, errors


def test_config_secret_key_created_by_many_starters_at_once_is_one_whole_key(tmp_path):
    """Web, worker and beat start together; each must get the same, complete key.

    The old exists-then-O_EXCL create failed the second starter with FileExistsError (CI,
    tests/core/test_log_rotation.py) and could hand a reader the empty file before the write.
    """
    for round_ in range(40):
        path = tmp_path / f"secret_key_{round_}"
        found, errors = _start_together(path, 16)
        assert errors == []
        assert len(set(found)) == 1 and len(found[0]) >= 50
        assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
