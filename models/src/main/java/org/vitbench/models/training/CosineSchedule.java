package org.vitbench.models.training;

/**
 * Linear warm-up from 0 to the peak rate, then cosine decay to {@code minLr} (timm's
 * {@code CosineLRScheduler} with warm-up, per step).
 *
 * @param peakLr learning rate at the end of warm-up
 * @param minLr learning rate at the last step
 * @param warmupSteps steps of linear warm-up
 * @param totalSteps all steps of the run
 */
public record CosineSchedule(double peakLr, double minLr, long warmupSteps, long totalSteps) {

    public CosineSchedule {
        if (!(peakLr > 0) || minLr < 0 || minLr > peakLr || warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("invalid schedule: peak " + peakLr + ", min " + minLr
                    + ", warm-up " + warmupSteps + ", total " + totalSteps);
        }
    }

    /** The rate for step {@code step} (1-based). */
    public double at(long step) {
        if (step <= warmupSteps) {
            return peakLr * step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
