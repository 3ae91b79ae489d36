package io.postfleet.miner.events;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Writes events as JSON lines ({@code ts, type, task_id, deadline, partition, worker, reason} and details), each line
 * flushed when written, and tells listeners (the console view, tests).
 */
public final class EventLog implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;
    private final List<Consumer<MinerEvent>> listeners = new CopyOnWriteArrayList<>();
    /** How many of the latest events are kept in memory: a miner runs for weeks, its events file keeps them all. */
    public static final int HISTORY = 10_000;

    private final java.util.ArrayDeque<MinerEvent> history = new java.util.ArrayDeque<>();

    /** An event log writing to {@code file} (appending), or only in memory when {@code file} is null. */
    public EventLog(Path file) {
        try {
            if (file != null && file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            this.out = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the events file " + file + ": check --events", e);
        }
    }

    public void onEvent(Consumer<MinerEvent> listener) {
        listeners.add(listener);
    }

    public void emit(EventType type, String taskId, int deadline, int partition, String worker, String reason) {
        emit(type, taskId, deadline, partition, worker, reason, Map.of());
    }

    public void emit(EventType type, String taskId, int deadline, int partition, String worker, String reason,
                     Map<String, Object> details) {
        MinerEvent event = new MinerEvent(Instant.now(), type, taskId, deadline, partition, worker, reason, details);
        synchronized (this) {
            history.addLast(event);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
            if (out != null) {
                try {
                    out.write(json.writeValueAsString(toJson(event)));
                    out.newLine();
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the events file", e);
                }
            }
        }
        for (Consumer<MinerEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    /** The latest {@link #HISTORY} events (all of them in a shorter run), oldest first. */
    public synchronized List<MinerEvent> history() {
        return List.copyOf(history);
    }

    /** The last {@code n} events, oldest first. */
    public synchronized List<MinerEvent> recent(int n) {
        List<MinerEvent> out = new ArrayList<>(Math.min(n, history.size()));
        java.util.Iterator<MinerEvent> it = history.descendingIterator();
        while (it.hasNext() && out.size() < n) {
            out.add(it.next());
        }
        java.util.Collections.reverse(out);
        return out;
    }

    static Map<String, Object> toJson(MinerEvent e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", e.ts().toString());
        line.put("type", e.type().wireName());
        line.put("task_id", e.taskId());
        line.put("deadline", e.deadline() < 0 ? null : e.deadline());
        line.put("partition", e.partition() < 0 ? null : e.partition());
        line.put("worker", e.worker());
        line.put("reason", e.reason());
        line.putAll(e.details());
        return line;
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
