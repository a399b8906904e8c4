package io.ruqi.migrate;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What an APScheduler job's pickle holds besides plain values: datetimes, timedeltas and the time zones of pytz,
 * zoneinfo and {@code datetime.timezone}, read into Java values ({@link PyDateTime}, {@link Duration},
 * {@link PyZone}). The unpickler calls no Python and builds no other class: an unknown class becomes a map of its
 * state, which the mapping then reports.
 */
final class PythonConstructors {
  private static boolean registered;

  private PythonConstructors() {
  }

  /** The unpickler keeps its constructors in one static table: filled once, before the first pickle is read. */
  static synchronized void register() {
    if (registered) {
      return;
    }
    Unpickler.registerConstructor("datetime", "datetime", PythonConstructors::dateTime);
    Unpickler.registerConstructor("datetime", "date", PythonConstructors::date);
    Unpickler.registerConstructor("datetime", "timedelta", PythonConstructors::timeDelta);
    Unpickler.registerConstructor("datetime", "timezone", PythonConstructors::fixedZone);
    // pytz pickles a zone as _p(name, utcoffset, dst, tzname) (one instance per offset), UTC as _UTC()
    Unpickler.registerConstructor("pytz", "_p", PythonConstructors::pytzZone);
    Unpickler.registerConstructor("pytz", "_UTC", args -> new PyZone(ZoneOffset.UTC, ZoneOffset.UTC));
    Unpickler.registerConstructor("pytz", "FixedOffset", PythonConstructors::pytzFixedOffset);
    // zoneinfo (APScheduler 3.11): ZoneInfo._unpickle(key, from_cache); before protocol 4 reached through getattr
    Unpickler.registerConstructor("zoneinfo", "ZoneInfo._unpickle", PythonConstructors::zoneInfo);
    Unpickler.registerConstructor("backports.zoneinfo", "ZoneInfo._unpickle", PythonConstructors::zoneInfo);
    Unpickler.registerConstructor("_zoneinfo", "ZoneInfo._unpickle", PythonConstructors::zoneInfo);
    Unpickler.registerConstructor("zoneinfo", "ZoneInfo", ZoneInfoClass.INSTANCE);
    Unpickler.registerConstructor("_zoneinfo", "ZoneInfo", ZoneInfoClass.INSTANCE);
    Unpickler.registerConstructor("backports.zoneinfo", "ZoneInfo", ZoneInfoClass.INSTANCE);
    Unpickler.registerConstructor("builtins", "getattr", PythonConstructors::getattr);
    Unpickler.registerConstructor("__builtin__", "getattr", PythonConstructors::getattr);
    // Python 3 pickles bytes below protocol 3 as _codecs.encode(text, 'latin1') (a datetime's state, for one)
    Unpickler.registerConstructor("_codecs", "encode", PythonConstructors::encode);
    // protocol 0 and 1 rebuild an object as copy_reg._reconstructor(cls, object, None), then set its state
    Unpickler.registerConstructor("copy_reg", "_reconstructor", PythonConstructors::reconstruct);
    registered = true;
  }

  /** {@code datetime(state_bytes[, tzinfo])} as pickled, or {@code datetime(y, m, d[, H, M, S, us][, tzinfo])}. */
  static PyDateTime dateTime(Object[] args) {
    if (args.length >= 1 && bytesOf(args[0]) != null) {
      byte[] b = bytesOf(args[0]);
      if (b.length != 10) {
        throw new PickleException("a datetime's state has 10 bytes, not " + b.length);
      }
      int month = b[2] & 0x7f;
      boolean fold = (b[2] & 0x80) != 0;
      int micros = ((b[7] & 0xff) << 16) | ((b[8] & 0xff) << 8) | (b[9] & 0xff);
      LocalDateTime wall = wall((b[0] & 0xff) * 256 + (b[1] & 0xff), month, b[3] & 0xff, b[4] & 0xff, b[5] & 0xff,
          b[6] & 0xff, micros);
      return new PyDateTime(wall, zoneArg(args, 1), fold);
    }
    int[] parts = new int[7];
    int i = 0;
    for (; i < args.length && i < 7 && args[i] instanceof Number n; i++) {
      parts[i] = n.intValue();
    }
    if (i < 3) {
      throw new PickleException("a datetime needs a year, month and day");
    }
    return new PyDateTime(wall(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]),
        zoneArg(args, i), false);
  }

  private static LocalDateTime wall(int y, int mo, int d, int h, int mi, int s, int micros) {
    try {
      return LocalDateTime.of(y, mo, d, h, mi, s, micros * 1000);
    } catch (DateTimeException e) {
      throw new PickleException("not a valid datetime: " + e.getMessage());
    }
  }

  private static LocalDate date(Object[] args) {
    byte[] b = args.length == 1 ? bytesOf(args[0]) : null;
    try {
      if (b != null && b.length == 4) {
        return LocalDate.of((b[0] & 0xff) * 256 + (b[1] & 0xff), b[2] & 0xff, b[3] & 0xff);
      }
      if (args.length == 3) {
        return LocalDate.of(((Number) args[0]).intValue(), ((Number) args[1]).intValue(),
            ((Number) args[2]).intValue());
      }
    } catch (DateTimeException | ClassCastException e) {
      throw new PickleException("not a valid date");
    }
    throw new PickleException("not a valid date");
  }

  /** {@code timedelta(days, seconds, microseconds)}. */
  static Duration timeDelta(Object[] args) {
    long[] parts = new long[3];
    for (int i = 0; i < args.length && i < 3; i++) {
      if (!(args[i] instanceof Number n)) {
        throw new PickleException("a timedelta holds numbers");
      }
      parts[i] = n.longValue();
    }
    return Duration.ofDays(parts[0]).plusSeconds(parts[1]).plusNanos(parts[2] * 1000);
  }

  private static PyZone fixedZone(Object[] args) {
    if (args.length < 1 || !(args[0] instanceof Duration offset)) {
      throw new PickleException("datetime.timezone needs its offset");
    }
    ZoneOffset zone = offset(offset.getSeconds());
    return new PyZone(zone.getTotalSeconds() == 0 ? ZoneOffset.UTC : zone, zone);
  }

  private static PyZone pytzZone(Object[] args) {
    if (args.length < 1 || !(args[0] instanceof String name)) {
      throw new PickleException("pytz zone without a name");
    }
    ZoneId zone = zoneNamed(name);
    ZoneOffset offset = args.length > 1 && args[1] instanceof Number seconds ? offset(seconds.longValue()) : null;
    return new PyZone(zone, offset);
  }

  private static PyZone pytzFixedOffset(Object[] args) {
    if (args.length != 1 || !(args[0] instanceof Number minutes)) {
      throw new PickleException("pytz.FixedOffset needs its minutes");
    }
    ZoneOffset offset = offset(minutes.longValue() * 60);
    return new PyZone(offset, offset);
  }

  private static PyZone zoneInfo(Object[] args) {
    if (args.length < 1 || !(args[0] instanceof String key)) {
      throw new PickleException("zoneinfo zone without a key");
    }
    return new PyZone(zoneNamed(key), null);
  }

  private static Object getattr(Object[] args) {
    if (args.length == 2 && args[0] == ZoneInfoClass.INSTANCE && "_unpickle".equals(args[1])) {
      return (IObjectConstructor) PythonConstructors::zoneInfo;
    }
    throw new PickleException("getattr of " + (args.length > 1 ? args[1] : "?") + " is not something a job holds");
  }

  private static Object reconstruct(Object[] args) {
    if (args.length != 3 || !(args[0] instanceof IObjectConstructor cls)) {
      throw new PickleException("copy_reg._reconstructor needs a class, its base and a state");
    }
    return cls.construct(new Object[0]);
  }

  private static byte[] encode(Object[] args) {
    if (args.length >= 1 && args[0] instanceof String text) {
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }
    throw new PickleException("_codecs.encode of something not a text");
  }

  /** A zone name as Java knows it; pytz's and zoneinfo's names are IANA names, as Java's. */
  private static ZoneId zoneNamed(String name) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new PickleException("unknown time zone '" + name + "'");
    }
  }

  private static ZoneOffset offset(long seconds) {
    try {
      return ZoneOffset.ofTotalSeconds(Math.toIntExact(seconds));
    } catch (DateTimeException | ArithmeticException e) {
      throw new PickleException("a time zone offset of " + seconds + " s");
    }
  }

  private static PyZone zoneArg(Object[] args, int index) {
    if (args.length <= index || args[index] == null) {
      return null;
    }
    if (args[index] instanceof PyZone zone) {
      return zone;
    }
    throw new PickleException("a datetime with a time zone object this reader does not know: " + args[index]);
  }

  /** A pickled bytes value: bytes (Python 3), a Python 2 str ({@link PyBytes}, or plain ASCII text). */
  private static byte[] bytesOf(Object value) {
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof PyBytes b) {
      return b.bytes();
    }
    if (value instanceof String s && s.chars().allMatch(c -> c < 0x80)) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    return null;
  }

  /** The class {@code zoneinfo.ZoneInfo}: {@code ZoneInfo(key)} if called, and the owner of {@code _unpickle}. */
  private enum ZoneInfoClass implements IObjectConstructor {
    INSTANCE;

    @Override
    public Object construct(Object[] args) {
      return zoneInfo(args);
    }
  }
}
