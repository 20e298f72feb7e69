package dev.assay.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saves and restores an optimizer's per-parameter state (momentum buffers, Adam's first and
 * second moment estimates, Adagrad's history, Adadelta's running averages) and its update counts
 * (Adam's bias correction), so that a trial continued from a checkpoint takes the same update
 * steps as one never stopped.
 *
 * <p>DJL keeps this state in private fields and offers no API for it, so it is read by
 * reflection, generically: every non-static field, in the optimizer's class and its
 * superclasses, of type {@code Map<String, Map<Device, NDArray>>} (parameter id → device →
 * state array; the layout of every DJL 0.36 optimizer and of Assay's own) is saved, plus the
 * {@link Optimizer} base class's {@code updateCounts} and {@code numUpdate}. Parameter ids are
 * random per process, so entries are saved under the parameter's name in the block
 * ({@code 01Linear_weight}, ...) and mapped back to the new ids when restored. The file is a DJL
 * {@link NDList} ({@code NDList.encode}) whose arrays are named {@code state/<field>/<parameter>},
 * {@code count/<parameter>} and {@code numUpdate}. A DJL upgrade that removed the base class's
 * fields would make {@link #save} throw (and {@link Checkpoints} then keep no optimizer state,
 * with a warning); a file naming a field or parameter the optimizer or model lacks makes {@link
 * #restore} fail with a message rather than continue from half a state. {@code
 * OptimizerStateTest} (optimizers module) holds every optimizer Assay offers bit-identical across
 * a save and restore.
 */
public final class OptimizerStates {

    private static final String COUNTS_FIELD = "updateCounts";
    private static final String NUM_UPDATE_FIELD = "numUpdate";

    private OptimizerStates() {}

    /**
     * Writes the optimizer's state for the block's parameters (reading the state arrays back
     * to the host: the engine finishes pending updates first).
     *
     * @param optimizer the trainer's optimizer
     * @param block the trained block, whose parameter names key the saved entries
     * @param file where to write; replaced if it exists
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if a parameter's state lives on more than one device, or the
     *     optimizer's fields cannot be read
     */
    public static void save(Optimizer optimizer, Block block, Path file) throws IOException {
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            names.put(p.getValue().getId(), p.getKey());
        }
        try (NDManager scratch = NDManager.newBaseManager()) {
            NDList out = new NDList();
            for (Field field : stateFields(optimizer.getClass())) {
                Map<String, Map<Device, NDArray>> state = read(field, optimizer);
                for (Map.Entry<String, Map<Device, NDArray>> e : state.entrySet()) {
                    String name = names.get(e.getKey());
                    if (name == null) {
                        continue; // a parameter of another block
                    }
                    if (e.getValue().size() != 1) {
                        throw new IllegalStateException("Parameter " + name + " has optimizer state on "
                                + e.getValue().size() + " devices; checkpoints save one.");
                    }
                    NDArray copy = e.getValue().values().iterator().next().duplicate();
                    copy.attach(scratch);
                    copy.setName("state/" + field.getName() + "/" + name);
                    out.add(copy);
                }
            }
            Map<String, Integer> counts = read(field(Optimizer.class, COUNTS_FIELD), optimizer);
            counts.forEach((id, count) -> {
                String name = names.get(id);
                if (name != null) {
                    NDArray c = scratch.create(count);
                    c.setName("count/" + name);
                    out.add(c);
                }
            });
            NDArray numUpdate = scratch.create((int) read(field(Optimizer.class, NUM_UPDATE_FIELD), optimizer));
            numUpdate.setName(NUM_UPDATE_FIELD);
            out.add(numUpdate);
            try (OutputStream os = Files.newOutputStream(file)) {
                out.encode(os);
            }
        }
    }

    /**
     * Restores a state written by {@link #save} into a fresh optimizer of the same kind, for a
     * block with the same parameter names (initialized: its parameters have their ids).
     *
     * @param optimizer the new trainer's optimizer, before its first update
     * @param block the block, initialized
     * @param file the file {@link #save} wrote
     * @param manager owns the restored state arrays for the rest of training (e.g. the trainer's
     *     manager)
     * @throws IOException if the file cannot be read, or it does not fit the optimizer or block
     *     (a field or parameter name it names does not exist); the message says which
     */
    public static void restore(Optimizer optimizer, Block block, Path file, NDManager manager)
            throws IOException {
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        NDList in;
        try (InputStream is = Files.newInputStream(file)) {
            in = NDList.decode(manager, is);
        } catch (IOException | RuntimeException e) { // a bare EOFException named no file
            throw new IOException("Optimizer state " + file + " cannot be read (" + Files.size(file) + " bytes): " + e, e);
        }
        Map<String, Field> fields = new HashMap<>();
        for (Field field : stateFields(optimizer.getClass())) {
            fields.put(field.getName(), field);
        }
        Map<String, Integer> counts = read(field(Optimizer.class, COUNTS_FIELD), optimizer);
        for (NDArray array : in) {
            String[] parts = array.getName().split("/", 3);
            if (parts[0].equals(NUM_UPDATE_FIELD)) {
                write(field(Optimizer.class, NUM_UPDATE_FIELD), optimizer, array.getInt());
                continue;
            }
            Parameter parameter = byName.get(parts[parts.length - 1]);
            if (parameter == null) {
                throw new IOException("Optimizer state " + file + " names parameter '" + parts[parts.length - 1]
                        + "', which the model does not have; its parameters are " + byName.keySet() + ".");
            }
            if (parts[0].equals("count")) {
                counts.put(parameter.getId(), array.getInt());
            } else {
                Field field = fields.get(parts[1]);
                if (field == null) {
                    throw new IOException("Optimizer state " + file + " holds '" + parts[1] + "', which "
                            + optimizer.getClass().getSimpleName() + " does not keep (it keeps "
                            + fields.keySet() + "): was the checkpoint written by another optimizer?");
                }
                Map<Device, NDArray> perDevice = new ConcurrentHashMap<>();
                perDevice.put(array.getDevice(), array);
                Map<String, Map<Device, NDArray>> state = read(field, optimizer);
                state.put(parameter.getId(), perDevice);
            }
        }
    }

    /**
     * Frees the optimizer's per-parameter state arrays and empties its state maps. DJL's {@link
     * Optimizer} creates each state array detached from every manager ({@code withDefaultState})
     * and has no {@code close}, so closing the model and the trainer leaves them allocated: a
     * sweep's process kept two parameter-sized arrays per Adam trial (2.4 MB a trial for a 235k
     * parameter MLP, RSS growing without bound over a long sweep; measured on 30 Nov). Call it when
     * the optimizer will not update again; a later update would start from zero state.
     *
     * @param optimizer the trial's optimizer
     * @throws IllegalStateException if the optimizer's fields cannot be read
     */
    public static void release(Optimizer optimizer) {
        for (Field field : stateFields(optimizer.getClass())) {
            Map<String, Map<Device, NDArray>> state = read(field, optimizer);
            for (Map<Device, NDArray> perDevice : state.values()) {
                perDevice.values().forEach(NDArray::close);
            }
            state.clear();
        }
    }

    /** Optimizer classes whose uncheckpointed state was warned about, once each per process. */
    private static final java.util.Set<Class<?>> WARNED = ConcurrentHashMap.newKeySet();

    /**
     * The optimizer's per-parameter state maps, from its class up to {@link Optimizer}. A field that
     * holds arrays in another layout ({@code Map<String, NDArray>}, an {@code NDArray}, a list of
     * them) is warned about, once per class: a continued run starts it over, which its checkpoint
     * does not show (a plugin optimizer's state declared so was dropped in silence, and the run
     * continued "from its checkpoint" with other results; found by a new-user check).
     */
    private static List<Field> stateFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        List<String> unsaved = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                if (isStateMap(field.getGenericType())) {
                    field.setAccessible(true);
                    out.add(field);
                } else if (field.getGenericType().getTypeName().contains(NDArray.class.getName())) {
                    unsaved.add(c.getSimpleName() + "." + field.getName() + " (" + field.getGenericType().getTypeName()
                            .replace("ai.djl.ndarray.", "").replace("ai.djl.", "").replace("java.util.", "").replace("java.lang.", "") + ")");
                }
            }
        }
        if (!unsaved.isEmpty() && WARNED.add(type)) {
            org.slf4j.LoggerFactory.getLogger(OptimizerStates.class).warn("Optimizer {} keeps state that checkpoints"
                    + " cannot hold: {}. A trial continued from a checkpoint starts that state over; declare it as"
                    + " Map<String, Map<Device, NDArray>> (parameter id -> device -> array), as DJL's optimizers do,"
                    + " to have it saved", type.getName(), String.join(", ", unsaved));
        }
        return out;
    }

    /**
     * Whether a type is a map from {@code String} to maps from {@link Device} to {@link NDArray}:
     * {@code Map<String, Map<Device, NDArray>>}, or a {@code ConcurrentHashMap} or other {@link
     * Map} type so parameterized (only {@code Map} itself was taken).
     */
    private static boolean isStateMap(Type type) {
        if (!(type instanceof ParameterizedType outer) || !(outer.getRawType() instanceof Class<?> raw)
                || !Map.class.isAssignableFrom(raw) || outer.getActualTypeArguments().length != 2) {
            return false;
        }
        Type[] kv = outer.getActualTypeArguments();
        return kv[0] == String.class && kv[1] instanceof ParameterizedType inner
                && inner.getRawType() instanceof Class<?> innerRaw && Map.class.isAssignableFrom(innerRaw)
                && inner.getActualTypeArguments().length == 2
                && inner.getActualTypeArguments()[0] == Device.class
                && inner.getActualTypeArguments()[1] == NDArray.class;
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DJL's " + type.getSimpleName() + " has no field '" + name
                    + "' (Assay reads it to checkpoint the optimizer; the DJL version changed?)", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T read(Field field, Object target) {
        try {
            return (T) field.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read the optimizer's field " + field.getName(), e);
        }
    }

    private static void write(Field field, Object target, int value) {
        try {
            field.setInt(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot set the optimizer's field " + field.getName(), e);
        }
    }
}
