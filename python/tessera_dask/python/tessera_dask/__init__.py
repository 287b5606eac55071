"""tessera's chunk tasks on dask.distributed.

Workers import this package to run tasks that tessera (a Rust program or a notebook on the
tessera kernel) sends as data; the driver side uses the helpers below through embedded Python.
Install it into the environment of the scheduler's workers: ``pip install python/tessera_dask``.
"""

from ._native import ENGINE
from ._native import run_task as _run_task

__all__ = ["ENGINE", "run_task", "submit", "all_done", "client_info", "local_cluster"]


def run_task(spec, *inputs):
    """Runs one encoded tessera task; ``inputs`` are its dependencies' outputs in order."""
    return _run_task(spec, *inputs)


def submit(client, tasks, outputs):
    """Sends tessera's ``tasks`` ``[(key, spec, dependency_keys)]`` as one dask graph and
    returns the futures of the ``outputs`` keys."""
    graph = {key: (run_task, spec, *deps) for key, spec, deps in tasks}
    return client.get(graph, list(outputs), sync=False)


def all_done(futures):
    """Whether every future has ended (finished, failed or cancelled)."""
    return all(f.done() for f in futures)


def client_info(client):
    """(scheduler address, workers, threads, memory bytes, dashboard link or None)."""
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    try:
        dashboard = client.dashboard_link
    except Exception:  # no dashboard (bokeh missing)
        dashboard = None
    threads = sum(w.get("nthreads", 0) for w in workers)
    memory = sum(w.get("memory_limit", 0) or 0 for w in workers)
    return (client.scheduler.address, len(workers), threads, memory, dashboard)


def local_cluster(n_workers):
    """A LocalCluster of ``n_workers`` processes on this machine and a Client of it."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=n_workers, processes=True, silence_logs=50)
    return cluster, Client(cluster)
