package io.jnatsd.store;

/**
 * Storage updates produced under a store's lock, delivered to the {@link StorageUpdateListener} after the lock is
 * released (listeners must not run under the store lock: they take consumer locks). A ring of primitive columns, so
 * queueing allocates nothing once grown.
 * <p>
 * Thread-safe: its own monitor, held only to add or take one entry.
 */
public final class NotificationQueue {

    private long[] msgs = new long[16];
    private long[] bytes = new long[16];
    private long[] seqs = new long[16];
    private String[] subjects = new String[16];
    private int head;
    private int size;

    /** Queues one update. */
    public synchronized void add(long msgsDelta, long bytesDelta, long seq, String subject) {
        if (size == msgs.length) {
            grow();
        }
        int i = (head + size) & (msgs.length - 1);
        msgs[i] = msgsDelta;
        bytes[i] = bytesDelta;
        seqs[i] = seq;
        subjects[i] = subject;
        size++;
    }

    /** Delivers every queued update to {@code listener} (or drops them when it is null), one at a time. */
    public void drain(StorageUpdateListener listener) {
        while (true) {
            long m;
            long b;
            long s;
            String subj;
            synchronized (this) {
                if (size == 0) {
                    return;
                }
                m = msgs[head];
                b = bytes[head];
                s = seqs[head];
                subj = subjects[head];
                subjects[head] = null;
                head = (head + 1) & (msgs.length - 1);
                size--;
            }
            if (listener != null) {
                listener.onStorageUpdate(m, b, s, subj);
            }
        }
    }

    private void grow() {
        int n = msgs.length * 2;
        long[] nm = new long[n];
        long[] nb = new long[n];
        long[] ns = new long[n];
        String[] nsub = new String[n];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (msgs.length - 1);
            nm[k] = msgs[i];
            nb[k] = bytes[i];
            ns[k] = seqs[i];
            nsub[k] = subjects[i];
        }
        msgs = nm;
        bytes = nb;
        seqs = ns;
        subjects = nsub;
        head = 0;
    }
}
