package dev.assay.tasks;

import dev.assay.plugin.AssayPlugin;

/** Registers the tasks: {@code classification}. */
public final class TasksPlugin extends AssayPlugin {

    @Override
    protected void configure() {
        registerTask("classification", ClassificationTask.class);
    }
}
