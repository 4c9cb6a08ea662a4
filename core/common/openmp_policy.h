#pragma once
// OpenMP's wait policy for LibTorch's worker threads (issue 16). By default libgomp lets an idle worker spin for a
// while before it sleeps; on a machine where another process wants the same cores (a shared VM, a second LungLens,
// the viewer's own UI thread) the spinning workers steal the time the work needs: `classify` with 2 threads beside
// one busy process took 11-14 s instead of 4.5 s with PASSIVE (measured by hand; bench_process_policy measures
// it in one run, docs/PERFORMANCE.md), and on an idle machine PASSIVE costs little (within the noise). libgomp reads OMP_WAIT_POLICY once, when it is loaded (before
// main), so the only way to set it from inside the program is to set it and start the program again.
//
// A user's own OMP_WAIT_POLICY is kept. LUNGLENS_OMP_WAIT=default keeps libgomp's default (the benchmark baseline).

namespace lunglens::core {

// Call first in main(): when OMP_WAIT_POLICY is unset, sets it to PASSIVE and re-executes /proc/self/exe with the
// same arguments (does not return then). Returns normally when nothing needs doing or the re-exec fails.
void ensurePassiveOpenMpWait(char** argv);

}  // namespace lunglens::core
