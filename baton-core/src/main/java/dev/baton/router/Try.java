package dev.baton.router;

import dev.baton.provider.Call;

/** One attempt in progress: the deployment, its circuit permit, the call's time limits and its trace. */
record Try(Deployment deployment, Circuit.Permit permit, Call call, AttemptTrace trace) {}
