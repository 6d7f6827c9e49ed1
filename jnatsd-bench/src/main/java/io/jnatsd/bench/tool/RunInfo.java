package io.jnatsd.bench.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts about a benchmark run that the reports print next to the numbers: the command line, when, on what machine,
 * and which servers (command and version). Immutable.
 *
 * @param args      the benchmark's arguments
 * @param startedAt ISO-8601 start time
 * @param mode      {@code compare}, {@code smoke} or {@code url}
 * @param rounds    rounds per case
 * @param machine   cores, CPU model, OS, kernel, JVM
 * @param servers   per server: its command (or URL) and version
 */
record RunInfo(List<String> args, String startedAt, String mode, int rounds, Map<String, String> machine,
        Map<String, Map<String, String>> servers) {

    /** A description of this machine. */
    static Map<String, String> describeMachine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu", cpuModel());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** One line: {@code 2 cores, <cpu>, <os>, <java>}. */
    String machineLine() {
        return machine.get("cores") + " cores, " + machine.get("cpu") + ", " + machine.get("os") + ", "
                + machine.get("java");
    }
}
