"""Settings come from -D first, then the environment; bad values get a clear error."""
import pytest

from shop.config import ConfigError, Settings
from support.settings import SettingsError, SuiteSettings, default_chromium


def test_userdata_wins_over_the_environment():
    settings = SuiteSettings.from_sources({"stack": "local"}, {"STACK": "external", "TIMEOUT_MULTIPLIER": "2.5"})
    assert (settings.stack, settings.timeout_multiplier) == ("local", 2.5)


def test_defaults_work_locally_and_a_seed_is_always_chosen():
    settings = SuiteSettings.from_sources({}, {})
    assert settings.stack == "auto" and settings.database_url.endswith("/shop_acceptance")
    assert settings.seed > 0


@pytest.mark.parametrize(
    ("userdata", "message"),
    [
        ({"stack": "kubernetes"}, "stack must be one of auto, external, docker, local"),
        ({"timeout_multiplier": "fast"}, "timeout_multiplier must be a float"),
        ({"timeout_multiplier": "0"}, "timeout_multiplier must be positive"),
        ({"bcrypt_rounds": "2"}, "bcrypt_rounds must be between 4 and 31"),
        ({"shop": "container", "stack": "external"}, "shop=container .* needs stack=docker; got stack=external"),
        ({"shop": "process", "shop_processes": "0"}, "shop_processes must be at least 1; got 0"),
        ({"shop_processes": "2"}, "shop_processes=2 needs a shop the suite starts .* shop=inprocess runs in"),
        ({"shop": "url", "shop_url": "http://x", "fakes_port": "1", "shop_processes": "2"},
         "shop=url was started by someone else, with SHOP_WEB_PROCESSES of their choosing"),
    ],
)
def test_bad_settings_are_named(userdata, message):
    with pytest.raises(SettingsError, match=message):
        SuiteSettings.from_sources(userdata, {})


def test_the_shop_refuses_unusable_settings():
    with pytest.raises(ConfigError, match="SHOP_DB_POOL_SIZE must be a whole number"):
        Settings.from_env({"SHOP_DB_POOL_SIZE": "many"})
    with pytest.raises(ConfigError, match="SHOP_BCRYPT_ROUNDS must be at least 4"):
        Settings.from_env({"SHOP_BCRYPT_ROUNDS": "1"})
    with pytest.raises(ConfigError, match="SHOP_WEB_PROCESSES must be at least 1, got 0"):
        Settings.from_env({"SHOP_WEB_PROCESSES": "0"})
    with pytest.raises(ConfigError, match="SHOP_WORKER_RECONNECT_MS must be at least 10"):
        Settings.from_env({"SHOP_WORKER_RECONNECT_MS": "0"})
    assert Settings.from_env({"SHOP_WORKER_RECONNECT_MS": "50"}).worker_reconnect_ms == 50


def test_the_lightest_installed_chromium_is_the_default(tmp_path):
    shell, full = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    full.write_text("#!/bin/sh\n")
    full.chmod(0o755)
    assert default_chromium((str(shell), str(full))) == str(full), "the headless shell is not installed here"
    shell.write_text("#!/bin/sh\n")
    shell.chmod(0o755)
    assert default_chromium((str(shell), str(full))) == str(shell)
    assert default_chromium((str(tmp_path / "a"), str(tmp_path / "b"))) == str(tmp_path / "b"), (
        "with none installed, the last is named, so the skip reason says which to install")
