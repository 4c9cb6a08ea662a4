// ThreadSanitizer settings for this suite (only compiled in when built with -fsanitize=thread; see
// docs/SANITIZERS.md). LibTorch, oneDNN and libgomp are not instrumented: races reported inside them are about
// synchronisation TSan cannot see (OpenMP barriers), so they are suppressed; our own code is fully checked.
#if defined(__SANITIZE_THREAD__)
extern "C" const char* __tsan_default_suppressions() {
  return "called_from_lib:libgomp.so.1\n"
         "called_from_lib:libtorch_cpu.so.1.13\n"
         "called_from_lib:libdnnl.so.2\n"
         "race:libgomp.so.1\n"
         "race:libtorch_cpu.so.1.13\n"
         "race:libdnnl.so.2\n";
}
extern "C" const char* __tsan_default_options() { return "halt_on_error=1:second_deadlock_stack=1"; }
#endif
