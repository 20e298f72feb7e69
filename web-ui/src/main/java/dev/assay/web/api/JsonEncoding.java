package dev.assay.web.api;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.assay.track.RunStatus;
import java.io.IOException;

/**
 * The API's JSON encoding. Finite doubles are written as JSON numbers with the shortest decimal
 * that reads back to the same double; NaN, +Infinity and -Infinity, which JSON numbers cannot
 * express, are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}
 * (Java's and JavaScript's own spellings: {@code Number("Infinity")} and {@code
 * Double.parseDouble("NaN")} read them back exactly). A {@link RunStatus} is written as its
 * {@link RunStatus#label() label} ({@code "completed"}). Everything else is plain Jackson.
 */
public final class JsonEncoding {

    private JsonEncoding() {}

    /**
     * Returns a new mapper with this encoding.
     *
     * @return the mapper
     */
    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .addModule(new SimpleModule("assay").addSerializer(new StatusSerializer()))
                .build();
    }

    /** Writes a status as its lowercase label. */
    private static final class StatusSerializer extends StdSerializer<RunStatus> {
        private static final long serialVersionUID = 1L;

        StatusSerializer() {
            super(RunStatus.class);
        }

        @Override
        public void serialize(RunStatus value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.label());
        }
    }
}
