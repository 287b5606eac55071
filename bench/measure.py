"""What the Python halves of bench/ measure about their own process: resident memory now
and CPU time so far (shared by bench/seed_dask.py and bench/workloads/run_dask.py)."""

import resource


def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_s():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
