package dev.nndl.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.testing.Case;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --case} reads back exactly the shape a failure names, for every kind of shape the contract generates. */
class CaseNameTest {

    @Test
    void everyGeneratedShapeReadsBackAsItself() {
        for (OpCheck<?> check : Checks.all()) roundTrips(check);
    }

    private static <S> void roundTrips(OpCheck<S> check) {
        java.util.Random random = new java.util.Random(7);
        List<Case<S>> cases = new java.util.ArrayList<>(check.cases().edges());
        for (int i = 0; i < 20; i++) cases.add(check.cases().draw(random));
        for (Case<S> c : cases) {
            String name = CaseName.format((Record) c.shape());
            assertEquals(c.shape(), CaseName.parse(Conformance.shapeType(check), name), check.name() + ": " + name);
        }
    }

    @Test
    void listsEnumsAndFloatsHaveAWrittenForm() {
        assertEquals("n=2,channels=3+5,h=4,w=6", CaseName.format(new ConcatShape(2, List.of(3, 5), 4, 6)));
        assertEquals("cell=lstm,steps=3,n=2,in=4,hidden=5", CaseName.format(new RecurrentShape(RecurrentShape.Cell.LSTM, 3, 2, 4, 5)));
        LrnShape lrn = new LrnShape(1, 5, 2, 2, 5, 1e-4f, 0.75f, 2f);
        assertEquals(lrn, CaseName.parse(LrnShape.class, CaseName.format(lrn)));
    }

    @Test
    void aWrongCaseSaysWhatIsWrongAndWhatItNames() {
        String all = "n,c,h,w,oc,kh,kw,sh,sw,ph,pw,dh,dw,groups";
        assertEquals("no oc=; a ConvShape case names " + all,
                assertThrows(IllegalArgumentException.class, () -> CaseName.parse(ConvShape.class, "n=1,c=1,h=3,w=3")).getMessage());
        assertEquals("'n1' is not name=value; a ConvShape case names " + all,
                assertThrows(IllegalArgumentException.class, () -> CaseName.parse(ConvShape.class, "n1")).getMessage());
        assertEquals("h=x: not an integer",
                assertThrows(IllegalArgumentException.class, () -> CaseName.parse(ConvShape.class,
                        "n=1,c=1,h=x,w=3,oc=1,kh=1,kw=1,sh=1,sw=1,ph=0,pw=0,dh=1,dw=1,groups=1")).getMessage());
        assertEquals("a ConvShape has no q; it names " + all,
                assertThrows(IllegalArgumentException.class, () -> CaseName.parse(ConvShape.class,
                        "n=1,c=1,h=3,w=3,oc=1,kh=1,kw=1,sh=1,sw=1,ph=0,pw=0,dh=1,dw=1,groups=1,q=2")).getMessage());
        String tooBig = assertThrows(IllegalArgumentException.class, () -> CaseName.parse(ConvShape.class,
                "n=1,c=1,h=3,w=3,oc=1,kh=9,kw=1,sh=1,sw=1,ph=0,pw=0,dh=1,dw=1,groups=1")).getMessage();
        assertEquals(true, tooBig.startsWith("ConvShape n=1,c=1,h=3,"), tooBig);
    }
}
