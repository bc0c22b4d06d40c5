package dev.nndl.aparapi;

import com.aparapi.ProfileInfo;
import dev.nndl.spi.DeviceTime;
import java.util.List;

/**
 * Sums the OpenCL event times Aparapi reports after each launch when its profiling is on
 * ({@code -Dnndl.profile=true} turns it on: {@link OpenClDevices}). Aparapi labels a kernel's
 * event {@code exec()} and a transfer's with the field it moves; the type letter is {@code R} for a
 * read back to the host, {@code W} for a write to the device.
 */
final class DeviceClock {

    /** Whether Aparapi's JNI code times events: fixed when its configuration class loads. */
    static final boolean ON = OpenClDevices.profiling();

    private long launches, write, kernel, read, wall;

    synchronized void add(List<ProfileInfo> events, long wallNanos) {
        launches++;
        wall += wallNanos;
        if (events == null) return;
        for (ProfileInfo e : events) {
            long took = e.getEnd() - e.getStart();
            if (e.getLabel().equals("exec()")) kernel += took;
            else if (String.valueOf((Object) e.getType()).equals("R")) read += took;
            else write += took;
        }
    }

    synchronized DeviceTime read() {
        return new DeviceTime(launches, write / 1e6, kernel / 1e6, read / 1e6, wall / 1e6);
    }
}
