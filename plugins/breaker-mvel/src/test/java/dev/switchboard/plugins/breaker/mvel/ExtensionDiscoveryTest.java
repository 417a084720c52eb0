package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.ExpressionCompiler;
import org.junit.jupiter.api.Test;
import org.pf4j.DefaultPluginManager;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExtensionDiscoveryTest {

    @Test
    void pf4jFindsTheMvelCompilerThroughTheGeneratedExtensionIndex() {
        DefaultPluginManager plugins = new DefaultPluginManager(Path.of("target", "no-plugins"));
        List<ExpressionCompiler> compilers = plugins.getExtensions(ExpressionCompiler.class);
        assertEquals(List.of("mvel"), compilers.stream().map(ExpressionCompiler::language).toList());
    }
}
