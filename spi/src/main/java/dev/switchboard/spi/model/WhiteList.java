package dev.switchboard.spi.model;

import java.util.List;

/** {@code whiteList}: {@code sourceRange} CIDRs and {@code useXForwardedFor}. */
public record WhiteList(List<String> sourceRange, boolean useXForwardedFor) {
    public WhiteList {
        sourceRange = List.copyOf(sourceRange);
    }
}
