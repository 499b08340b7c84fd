package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SummaryWriter writes what train(log=) writes: TensorBoard scalars and metrics.csv that plot() reads. */
class SummaryWriterTest {

    @TempDir
    Path tmp;

    @Test
    void addScalarWritesEventsAndMetricsCsv() throws IOException {
        String dir = tmp.resolve("run").toString().replace("\\", "/");
        String out = Scripts.run("""
                writer = SummaryWriter("%s")
                for epoch in range(1, 3) {
                    writer.add_scalar("Train Loss", 1.0 / epoch, epoch)
                    writer.add_scalar("Train Accuracy", 0.5, epoch)
                    writer.add_scalar("Test Accuracy", as_tensor(0.25 * epoch), epoch)
                    writer.add_scalar("lr", 0.125, epoch)
                }
                writer.close()
                plot("%s", "%s/curves.png")
                print(writer)
                """.formatted(dir, dir, dir));
        assertEquals("<SummaryWriter " + dir + ">\n", out);
        List<String> rows = new ArrayList<>();
        for (MetricsCsv.Row r : MetricsCsv.read(tmp.resolve("run/metrics.csv"))) {
            rows.add(r.epoch() + " " + r.trainLoss() + " " + r.trainAcc() + " " + r.testAcc());
        }
        assertEquals(List.of("1 1.0 0.5 0.25", "2 0.5 0.5 0.5"), rows);
        Path events;
        try (Stream<Path> files = Files.list(tmp.resolve("run"))) {
            events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
        }
        List<String> scalars = new ArrayList<>();
        for (EventFileWriterTest.Event e : EventFileWriterTest.decode(Files.readAllBytes(events))) {
            for (int i = 0; i < e.tags().size(); i++) {
                scalars.add(e.step() + " " + e.tags().get(i) + " " + e.values().get(i));
            }
        }
        assertEquals(List.of("1 Train Loss 1.0", "1 Train Accuracy 0.5", "1 Test Accuracy 0.25", "1 lr 0.125",
                "2 Train Loss 0.5", "2 Train Accuracy 0.5", "2 Test Accuracy 0.5", "2 lr 0.125"), scalars);
        assertEquals(true, Files.size(tmp.resolve("run/curves.png")) > 0);
    }

    @Test
    void itsMethodsBindByName() throws IOException {
        String dir = tmp.resolve("named").toString().replace("\\", "/");
        String out = Scripts.run("""
                writer = SummaryWriter("%s")
                writer.add_scalar(global_step=1, scalar_value=0.5, tag="Train Loss")
                writer.flush()
                writer.close()
                """.formatted(dir));
        assertEquals("", out);
        List<MetricsCsv.Row> rows = MetricsCsv.read(tmp.resolve("named/metrics.csv"));
        assertEquals(1, rows.size());
        assertEquals(1, rows.get(0).epoch());
        assertEquals(0.5, rows.get(0).trainLoss());
        String make = "w = SummaryWriter(\"" + dir + "\")\n";
        assertEquals("t.cnn:2:1: flush() takes 0 arguments, but 1 were given",
                Scripts.fail(make + "w.flush(1)").getMessage());
        assertEquals("t.cnn:2:1: close() has no parameter named 'now'; it takes close()",
                Scripts.fail(make + "w.close(now=true)").getMessage());
        assertEquals("t.cnn:2:1: add_scalar() has no parameter named 'step'; it takes "
                + "add_scalar(tag, scalar_value, global_step=none)",
                Scripts.fail(make + "w.add_scalar('a', 1.0, step=1)").getMessage());
        assertEquals("t.cnn:2:1: add_scalar() global_step must be an int, not string",
                Scripts.fail(make + "w.add_scalar('a', 1.0, global_step='x')").getMessage());
    }

    /** global_step is optional, as in PyTorch: an event without a step, which TensorBoard reads as step 0. */
    @Test
    void addScalarWithoutAStepIsStepZero() throws IOException {
        String dir = tmp.resolve("nostep").toString().replace("\\", "/");
        Scripts.run("""
                writer = SummaryWriter("%s")
                writer.add_scalar("lr", 0.5)
                writer.add_scalar("Train Loss", as_tensor(0.25))
                writer.close()
                """.formatted(dir));
        Path events;
        try (Stream<Path> files = Files.list(tmp.resolve("nostep"))) {
            events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
        }
        List<String> scalars = new ArrayList<>();
        for (EventFileWriterTest.Event e : EventFileWriterTest.decode(Files.readAllBytes(events))) {
            for (int i = 0; i < e.tags().size(); i++) {
                scalars.add(e.step() + " " + e.tags().get(i) + " " + e.values().get(i));
            }
        }
        assertEquals(List.of("0 lr 0.5", "0 Train Loss 0.25"), scalars);
        List<MetricsCsv.Row> rows = MetricsCsv.read(tmp.resolve("nostep/metrics.csv"));
        assertEquals(1, rows.size());
        assertEquals(0, rows.get(0).epoch());
    }
}
