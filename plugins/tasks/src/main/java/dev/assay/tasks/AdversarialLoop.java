package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import dev.assay.tasks.AdversarialTask.StepResult;
import dev.assay.train.Checkpoint;
import dev.assay.train.EarlyStopException;
import dev.assay.train.Gradients;
import dev.assay.train.TrialContext;
import dev.assay.track.RunTracker;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The epoch and step loop of {@link AdversarialTask}: one discriminator update then one generator
 * update per batch, metrics to the tracker, a sample grid and a checkpoint of both networks per
 * epoch (a continued trial starts after its checkpoint's epoch). Each step's arrays live in a
 * sub-manager of the batch's, closed with the batch, except the step's four values ({@code
 * d_loss}, {@code g_loss}, {@code d_real}, {@code d_fake}), stacked on the device and read back
 * together every {@code log_every_n_steps} steps, at most {@value #MAX_PENDING} steps apart, and at
 * the epoch end (reading them every step made the engine finish the discriminator's update before
 * the generator's could be queued). A NaN or infinite loss is found at the next read and named at
 * its own step, as the tracking listener of the other tasks does.
 */
final class AdversarialLoop {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdversarialLoop.class);

    /** Steps whose values wait on the device at most before they are read. */
    static final int MAX_PENDING = 256;

    private final Trainer g;
    private final Trainer d;
    private final Loss bce;
    private final int latent;
    private final TrialContext ctx;
    private final RunTracker tracker;
    private final long stepsPerEpoch;
    private final int epochsDone;
    private final NDList pending = new NDList();
    private NDManager pendingManager;
    private double lastGLoss = Double.NaN;
    private long step;

    /**
     * Creates the loop.
     *
     * @param g the generator's trainer, initialized
     * @param d the discriminator's trainer, initialized
     * @param bce binary cross-entropy on logits
     * @param latent the latent size
     * @param ctx the trial
     * @param stepsPerEpoch update steps per epoch, for progress
     * @param epochsDone epochs completed by the checkpoint this trial continues from, or 0
     */
    AdversarialLoop(Trainer g, Trainer d, Loss bce, int latent, TrialContext ctx,
            long stepsPerEpoch, int epochsDone) {
        this.epochsDone = epochsDone;
        this.step = ctx.checkpoints().resumePoint().map(Checkpoint::step).orElse(0L);
        this.g = g;
        this.d = d;
        this.bce = bce;
        this.latent = latent;
        this.ctx = ctx;
        this.tracker = ctx.tracker();
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * Trains for {@code training.epochs} epochs.
     *
     * @param train the training split (images)
     * @param fixed the fixed latent batch {@code (n, latent)} for the sample grids
     * @param columns samples per grid row
     * @return the last epoch's mean metrics (see {@link AdversarialTask#summary})
     * @throws Exception if reading data or writing a grid fails, or training diverges
     */
    Map<String, Double> fit(Dataset train, NDArray fixed, int columns) throws Exception {
        int epochs = ctx.config().training().epochs();
        int logEvery = ctx.config().training().logEveryNSteps();
        double[] means = new double[4];
        for (int epoch = epochsDone + 1; epoch <= epochs; epoch++) {
            ctx.checkpoints().beginEpoch(epoch); // the epoch's latents and data order from the trial and epoch alone
            long start = System.nanoTime();
            double[] sums = new double[4];
            long steps = 0;
            long samples = 0;
            for (Batch batch : d.iterateDataset(train)) {
                if (steps == 0) {
                    ctx.progress().epochStarted(epoch, epochs, stepsPerEpoch);
                }
                try (batch) {
                    pending.add(step(AdversarialTask.real(batch)));
                    step++;
                    steps++;
                    samples += batch.getSize();
                    if (step == 1 || step % logEvery == 0 || pending.size() >= MAX_PENDING) {
                        readPending(sums, epoch, logEvery);
                    }
                    ctx.progress().stepDone(steps, lastGLoss);
                }
            }
            readPending(sums, epoch, logEvery);
            for (int i = 0; i < 4; i++) {
                means[i] = sums[i] / Math.max(1, steps);
            }
            try {
                logEpoch(means, epoch, (System.nanoTime() - start) / 1e9, samples);
            } catch (EarlyStopException e) {
                // the trial's early-stopping rule ended training after this epoch, whose samples and
                // means are the trial's result (the runner had printed "-> completed" with none)
                LOG.info("Early stop after epoch {}: {}", e.epoch(), e.getMessage());
                saveGrid(fixed, columns, epoch);
                return AdversarialTask.summary(means);
            }
            saveGrid(fixed, columns, epoch);
            ctx.checkpoints().save(epoch, step, g.getModel(), d.getModel());
        }
        return epochsDone >= epochs ? Map.of() : AdversarialTask.summary(means);
    }

    /**
     * One D update then one G update on a batch of real images (batch, channels, h, w).
     *
     * @return the step's {@code (d_loss, g_loss, d_real, d_fake)}, shape (4), still on the device
     */
    private NDArray step(NDArray real) {
        NDManager m = real.getManager().newSubManager();
        try (m) {
            long n = real.getShape().get(0);
            NDArray ones = m.ones(new Shape(n, 1));
            NDArray zeros = m.zeros(new Shape(n, 1));
            NDArray dLoss;
            NDArray dReal;
            NDArray dFake;
            // the last G step back-propagated through D: on PyTorch, which accumulates gradients,
            // D's update would have added that to its own gradient
            Gradients.clear(d.getModel().getBlock());
            try (GradientCollector collector = d.newGradientCollector()) {
                NDArray fake = g.forward(new NDList(latents(m, n))).singletonOrThrow()
                        .stopGradient();
                NDArray realLogits = d.forward(new NDList(real)).singletonOrThrow();
                NDArray fakeLogits = d.forward(new NDList(fake)).singletonOrThrow();
                dLoss = bce.evaluate(new NDList(ones), new NDList(realLogits))
                        .add(bce.evaluate(new NDList(zeros), new NDList(fakeLogits)));
                collector.backward(dLoss);
                dReal = Activation.sigmoid(realLogits).mean();
                dFake = Activation.sigmoid(fakeLogits).mean();
            }
            d.step();
            NDArray gLoss;
            try (GradientCollector collector = g.newGradientCollector()) {
                NDArray fake = g.forward(new NDList(latents(m, n))).singletonOrThrow();
                NDArray logits = d.forward(new NDList(fake)).singletonOrThrow();
                gLoss = bce.evaluate(new NDList(ones), new NDList(logits));
                collector.backward(gLoss);
            }
            g.step();
            NDArray values = NDArrays.stack(new NDList(dLoss.reshape(), gLoss.reshape(), dReal.reshape(),
                    dFake.reshape()));
            values.attach(pendingManager());
            return values;
        }
    }

    private NDManager pendingManager() {
        if (pendingManager == null) {
            pendingManager = d.getManager().newSubManager();
        }
        return pendingManager;
    }

    /**
     * Reads the values of the steps since the last read in one transfer: adds them to the epoch's
     * sums, logs the steps due ({@code step 1}, every {@code logEvery}, and a non-finite one), and
     * ends training at the first non-finite loss.
     *
     * @throws ai.djl.TrainingDivergedException at the first step whose d_loss or g_loss is NaN or
     *     infinite
     */
    private void readPending(double[] sums, int epoch, int logEvery) {
        if (pending.isEmpty()) {
            return;
        }
        float[] all = NDArrays.stack(pending).toFloatArray();
        long first = step - pending.size() + 1;
        pending.clear();
        pendingManager.close();
        pendingManager = null;
        for (int i = 0; i < all.length / 4; i++) {
            long at = first + i;
            StepResult r = new StepResult(all[4 * i], all[4 * i + 1], all[4 * i + 2], all[4 * i + 3]);
            accumulate(sums, r);
            boolean bad = !Double.isFinite(r.dLoss()) || !Double.isFinite(r.gLoss());
            if (bad || at == 1 || at % logEvery == 0) {
                logStep(r, at, epoch);
            }
            AdversarialTask.checkFinite(r, at, epoch);
            lastGLoss = r.gLoss();
        }
    }

    private NDArray latents(NDManager m, long n) {
        return m.randomNormal(new Shape(n, latent));
    }

    private static void accumulate(double[] sums, StepResult r) {
        sums[0] += r.dLoss();
        sums[1] += r.gLoss();
        sums[2] += r.dReal();
        sums[3] += r.dFake();
    }

    private void logStep(StepResult r, long at, int epoch) {
        tracker.logMetric("d_loss", at, epoch, r.dLoss());
        tracker.logMetric("g_loss", at, epoch, r.gLoss());
        tracker.logMetric("d_real", at, epoch, r.dReal());
        tracker.logMetric("d_fake", at, epoch, r.dFake());
    }

    private void logEpoch(double[] means, int epoch, double seconds, long samples) {
        Map<String, Double> logged = new LinkedHashMap<>(AdversarialTask.summary(means));
        logged.put("epoch_time_s", seconds);
        logged.put("samples_per_s", seconds > 0 ? samples / seconds : Double.NaN);
        tracker.logMetrics(logged, step, epoch);
        ctx.progress().epochEnded(epoch, logged);
    }

    private void saveGrid(NDArray fixed, int columns, int epoch) throws IOException {
        try (NDManager m = fixed.getManager().newSubManager()) {
            NDArray z = fixed.duplicate();
            z.attach(m);
            NDArray samples = g.evaluate(new NDList(z)).singletonOrThrow();
            ImageGrid.write(samples, columns, tracker.artifactDir()
                    .resolve(String.format(Locale.ROOT, "samples/epoch-%03d.png", epoch)));
        }
    }
}
