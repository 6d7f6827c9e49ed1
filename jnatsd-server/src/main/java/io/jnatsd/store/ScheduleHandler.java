package io.jnatsd.store;

/**
 * The stream layer's part of message schedules ({@code allow_msg_schedules}). The store keeps, per subject, the
 * schedule message and its next fire time, rebuilds that index at recovery and fires it on its timer; what a schedule
 * pattern means (cron, {@code @every}, {@code @at}, time zones) and what message a firing produces are decided here.
 * <p>
 * Called on the writer's thread ({@link #nextFireTimeNanos}) or the store's timer thread ({@link #onScheduleDue})
 * without the store's lock held, except {@link #nextFireTimeNanos}, which runs under the store's write lock and must
 * not call back into the store.
 */
// nats-server: scheduler.go MsgScheduling (the store side) and getScheduledMessages (here)
public interface ScheduleHandler {

    /**
     * The next time the schedule held in {@code header} fires, for a schedule message stored at
     * {@code timestampNanos}; 0 when the message is not a valid schedule (the store then forgets any schedule on its
     * subject, unless the message carries {@code Nats-Scheduler}).
     */
    long nextFireTimeNanos(byte[] header, int headerOffset, int headerLength, long timestampNanos);

    /**
     * A schedule is due. The handler builds the scheduled message (headers {@code Nats-Scheduler},
     * {@code Nats-Schedule-Next}, ...) and hands it to the stream. Until a message with {@code Nats-Scheduler} equal
     * to the schedule's subject is stored, the store does not fire that schedule again.
     *
     * @param schedule the schedule message as stored (the holder is only valid during the call)
     * @return false when the schedule is invalid and should be forgotten
     */
    boolean onScheduleDue(StoredMessage schedule);
}
