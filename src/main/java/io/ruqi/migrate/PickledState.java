package io.ruqi.migrate;

import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Unpickles a job's {@code job_state} with Razorvine's pickle library: a reader of the pickle format in Java, which
 * runs no Python and builds no class of the pickle's choosing (an unknown class is a map of its state; a registered
 * constructor makes Java values of datetimes and time zones, {@link PythonConstructors}).
 *
 * <p>A pickle names its own allocations (a bytes opcode carries its length), so a hostile pickle could ask for a
 * large array before failing; states over {@link JobMigration#LARGEST_STATE} are not read, and the source is a
 * database whose writer already ran RuQi's commands.
 */
final class PickledState {
  private static final short STRING = 'S';
  private static final short BINSTRING = 'T';
  private static final short SHORT_BINSTRING = 'U';

  private PickledState() {
  }

  static Object read(byte[] pickle) {
    PythonConstructors.register();
    Unpickler unpickler = new Py2AwareUnpickler();
    try {
      return unpickler.loads(pickle);
    } catch (IOException | RuntimeException e) { // a PickleException is a RuntimeException
      throw new UnreadableState("its job_state cannot be unpickled: " + e.getMessage());
    } finally {
      unpickler.close();
    }
  }

  /**
   * Python 2's {@code str} (RuQi's pickles) is bytes; the library hands it over one char per byte. Such a value that is
   * not plain ASCII is kept as {@link PyBytes}, so that text is decoded as UTF-8 ({@link PyText}) and a datetime's
   * state read as bytes, exactly, while Python's unicode strings stay as they are.
   */
  private static final class Py2AwareUnpickler extends Unpickler {
    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
      Object result = super.dispatch(key);
      if (key == STRING || key == BINSTRING || key == SHORT_BINSTRING) {
        String raw = (String) stack.pop();
        boolean ascii = raw.chars().allMatch(c -> c < 0x80);
        stack.add(ascii ? raw : new PyBytes(raw.getBytes(StandardCharsets.ISO_8859_1)));
      }
      return result;
    }
  }
}
