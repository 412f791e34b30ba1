// Each stress test saturates the machine on its own (producers, workers, cancellers); run them one after the
// other so that one test's load does not stretch another's bounded waits.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
