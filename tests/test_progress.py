"""Progress on stderr: the reporter of the current context, quiet or not, restored after its block."""

from __future__ import annotations

import io

import pytest

from lod_unioni import progress


def test_progress_and_warnings_go_to_stderr(capsys):
    progress.info("reading records")
    progress.warn("old sources")
    assert capsys.readouterr().err == "reading records\nlod-unioni: warning: old sources\n"


def test_quiet_drops_progress_but_not_warnings_and_ends_with_its_block(capsys):
    with progress.reporting(quiet=True):
        progress.info("reading records")
        with progress.Step("mapping"):
            pass
        progress.warn("old sources")
    progress.info("after")
    assert capsys.readouterr().err == "lod-unioni: warning: old sources\nafter\n"


def test_the_previous_reporter_comes_back_after_an_error():
    with pytest.raises(ValueError), progress.reporting(quiet=True):
        assert progress.current().quiet
        raise ValueError
    assert not progress.current().quiet


def test_a_reporter_can_write_elsewhere(capsys):
    stream = io.StringIO()
    with progress.reporting(progress.Reporter(stream=stream)), progress.Step("mapping"):
        pass
    assert stream.getvalue().startswith("- mapping ...\n  mapping: done in ")
    assert capsys.readouterr().err == ""
