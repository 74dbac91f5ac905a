// memref.alloca temporaries, scf mixed with affine, affine.if, affine.min/max bounds.
#lo = affine_map<(d0) -> (d0 - 2, 0)>
#hi = affine_map<(d0) -> (d0 + 3, 11)>
#set = affine_set<(d0, d1) : (d0 - d1 >= 0)>
module {
  func.func @alloca_temp(%a: memref<9x11xf64>, %s: memref<9xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %t = memref.alloca() : memref<1xf64>
    affine.for %i = 0 to 9 {
      affine.store %cst, %t[0] : memref<1xf64>
      affine.for %j = 0 to 11 {
        %0 = affine.load %a[%i, %j] : memref<9x11xf64>
        %1 = affine.load %t[0] : memref<1xf64>
        %2 = arith.addf %1, %0 : f64
        affine.store %2, %t[0] : memref<1xf64>
      }
      %3 = affine.load %t[0] : memref<1xf64>
      affine.store %3, %s[%i] : memref<9xf64>
    }
    return
  }
  func.func @scf_inside_affine(%a: memref<9x11xf64>, %b: memref<9x11xf64>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c11 = arith.constant 11 : index
    affine.for %i = 0 to 9 {
      scf.for %j = %c0 to %c11 step %c1 {
        %0 = memref.load %a[%i, %j] : memref<9x11xf64>
        %1 = arith.addf %0, %0 : f64
        memref.store %1, %b[%i, %j] : memref<9x11xf64>
      }
    }
    return
  }
  func.func @lower_triangle(%a: memref<11x11xf64>, %b: memref<11x11xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %i = 0 to 11 {
      affine.for %j = 0 to 11 {
        affine.if #set(%i, %j) {
          %0 = affine.load %a[%i, %j] : memref<11x11xf64>
          affine.store %0, %b[%i, %j] : memref<11x11xf64>
        } else {
          affine.store %cst, %b[%i, %j] : memref<11x11xf64>
        }
      }
    }
    return
  }
  func.func @banded_sum(%a: memref<11x11xf64>, %s: memref<11xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %i = 0 to 11 {
      %r = affine.for %j = max #lo(%i) to min #hi(%i) iter_args(%acc = %cst) -> (f64) {
        %0 = affine.load %a[%i, %j] : memref<11x11xf64>
        %1 = arith.addf %acc, %0 : f64
        affine.yield %1 : f64
      }
      affine.store %r, %s[%i] : memref<11xf64>
    }
    return
  }
}
