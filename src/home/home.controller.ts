import { Controller, Get, Render } from '@nestjs/common';
import { Public } from '../auth/decorators/public.decorator';

@Public()
@Controller()
export class HomeController {
  @Get()
  @Render('home')
  home() {
    return {};
  }
}
