package io.jnatsd.server.monitor;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code memstats} of {@code /debug/vars}: Go's {@code runtime.MemStats} field names with the nearest JVM
 * figures (heap in use and committed, non-heap, GC counts and pause totals). Fields with no JVM counterpart are
 * left out. Stateless.
 */
final class MemStats {

    private MemStats() {
    }

    static Map<String, Object> collect() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Alloc", heap.getUsed());
        m.put("Sys", heap.getCommitted() + nonHeap.getCommitted());
        m.put("HeapAlloc", heap.getUsed());
        m.put("HeapSys", heap.getCommitted());
        m.put("HeapInuse", heap.getUsed());
        m.put("HeapIdle", Math.max(0, heap.getCommitted() - heap.getUsed()));
        m.put("StackSys", nonHeap.getCommitted());
        m.put("NextGC", heap.getMax() < 0 ? heap.getCommitted() : heap.getMax());
        m.put("NumGC", gcCount);
        m.put("PauseTotalNs", gcMillis * 1_000_000L);
        return m;
    }
}
