"""`dlcompare measure`: the same training workloads on every installed toolkit, checked
against a NumPy reference, timed each in its own subprocess, and turned into data.

The flow: `workloads` (what is computed, and the NumPy reference) -> `worker` (one toolkit on
one workload, in a subprocess) -> `runner` (finds the toolkits, runs the workers, checks the
losses) -> `results` (the result object) -> `folder` (the data folder of `-o DIR`). Nothing
here imports a toolkit in the parent process.
"""
