/* Calls two entry points of one attnc library (test/tools/attnc-entries.mlir)
 * and checks that neither wrote into its input. */
#include "two.h"

#include <stdio.h>

static void print(const char *name, const attnc_tensor_out *out) {
  const float *y = (const float *)out->data;
  printf("%s: %g %g %g %g\n", name, (double)y[0], (double)y[1], (double)y[2],
         (double)y[3]);
}

int main(void) {
  float x[4] = {1, 2, 3, 4};
  attnc_tensor_in in = {x, NULL};
  attnc_tensor_out up, down;
  if (attnc_run_scale_up(&in, &up) || attnc_run_scale_down(&in, &down))
    return 1;
  print("scale_up", &up);
  print("scale_down", &down);
  if (x[0] == 1 && x[1] == 2 && x[2] == 3 && x[3] == 4)
    printf("inputs unchanged\n");
  attnc_free(&up);
  attnc_free(&down);
  return 0;
}
