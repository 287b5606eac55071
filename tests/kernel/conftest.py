"""The `kernel` fixture: one tessera kernel per test module, started from the installed
kernelspec by a real jupyter_client."""

import os

import jupyter_client
import pytest

# Kernels started by the tests start no standby kernel (which would outlive the suite):
# test_standby.py turns them on for its own kernels and ends the standbys it caused.
os.environ["TESSERA_KERNEL_STANDBY"] = "0"


@pytest.fixture(scope="module")
def kernel():
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="tessera", startup_timeout=120)
    kc.manager = km  # for interrupt_kernel()
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)
