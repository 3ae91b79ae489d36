package io.postfleet.worker.status;

import java.time.Instant;

import io.postfleet.schemas.WorkerState;

/**
 * What the worker is doing, as one immutable value swapped atomically: the heartbeat thread reads it while the
 * consumer thread changes it.
 *
 * @param state       IDLE, PROVING or STOPPING
 * @param taskId      the task in hand, null when idle
 * @param since       when the task in hand was taken
 * @param tasksDone   tasks answered so far (any outcome)
 */
public record WorkerActivity(WorkerState state, String taskId, Instant since, long tasksDone) {

    public static WorkerActivity idle(long tasksDone) {
        return new WorkerActivity(WorkerState.IDLE, null, null, tasksDone);
    }

    public WorkerActivity proving(String task, Instant at) {
        return new WorkerActivity(WorkerState.PROVING, task, at, tasksDone);
    }

    public WorkerActivity done() {
        return idle(tasksDone + 1);
    }

    public WorkerActivity stopping() {
        return new WorkerActivity(WorkerState.STOPPING, taskId, since, tasksDone);
    }
}
