package dev.assay.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.plugin.OptimizerProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' parameters refuse the values at which the update breaks, when the file is read:
 * beta1 = 1 divided by zero (the trial failed blaming the learning rate), beta2 = 1 and momentum = 1
 * trained to chance, epsilon = 0 diverged at step 2 on the always-black border pixels.
 */
class OptimizerBoundsTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.fromModules(List.of(new OptimizersPlugin()));

    private static ParamDescriptor param(String optimizer, String name) {
        OptimizerProvider p = REGISTRY.get(PluginKind.OPTIMIZER, optimizer);
        return p.parameters().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void decaysAndMomentaStayBelowOneAndEpsilonAboveZero() {
        for (String[] p : new String[][] {{"adam", "beta1"}, {"adam", "beta2"}, {"adamw", "beta1"}, {"momentum", "momentum"},
                {"rmsprop", "momentum"}, {"rmsprop", "rho"}, {"nesterov", "momentum"}}) {
            ParamDescriptor d = param(p[0], p[1]);
            assertThatThrownBy(() -> d.coerce(1.0)).as(p[0] + "." + p[1]).hasMessageContaining("got 1.0");
            assertThat(d.coerce(0.999)).as(p[0] + "." + p[1]).isEqualTo(0.999);
        }
        for (String optimizer : new String[] {"adam", "rmsprop", "adagrad"}) {
            ParamDescriptor epsilon = param(optimizer, "epsilon");
            assertThatThrownBy(() -> epsilon.coerce(0.0)).as(optimizer).hasMessage("expected a value > 0, got 0.0");
        }
        assertThat(param("adam", "beta2").bounds()).isEqualTo("in [0, 1)");
        assertThat(param("momentum", "momentum").coerce(0.0)).isEqualTo(0.0);
        // DJL's Nag needs a momentum: 0 is refused as before, now saying "in (0, 1)" instead of "in [1.0E-9, 1]"
        assertThatThrownBy(() -> param("nesterov", "momentum").coerce(0.0)).hasMessage("expected a value in (0, 1), got 0.0");
    }
}
